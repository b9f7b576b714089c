#!/usr/bin/env bash
# Runs the benchmarks (release build): Tarn and its peers on the same data in one run,
# printing medians and Tarn/peer ratios. Not part of the test suite.
# Usage: bash Benchmarks/run.sh [BenchmarkName ...]   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --peers
export TARN_PYTHON="$PWD/.venv/bin/python"
cd Benchmarks
swift build -c release
bin="$(swift build -c release --show-bin-path)"
benchmarks=("$@")
if [ ${#benchmarks[@]} -eq 0 ]; then benchmarks=(ParquetBenchmark DeltaBenchmark OperationsBenchmark SQLBenchmark FeatureBenchmark); fi
for b in "${benchmarks[@]}"; do
    "$bin/$b"
done
