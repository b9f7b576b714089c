#!/usr/bin/env bash
# Runs every benchmark (release build): Tarn and its peers on the same data in one run,
# printing medians and Tarn/peer ratios. Not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --peers
export TARN_PYTHON="$PWD/.venv/bin/python"
cd Benchmarks
swift build -c release
bin="$(swift build -c release --show-bin-path)"
for b in ParquetBenchmark "$@"; do
    "$bin/$b"
done
