#!/usr/bin/env bash
# Runs Tarn's whole test suite: unit tests of every layer, the CLI through the real
# executable, and the interop tests against pyarrow, DuckDB and deltalake.
# Installs what is missing first (scripts/setup.sh). Exits non-zero if any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --peers

export TARN_PYTHON="$PWD/.venv/bin/python"
export TARN_REQUIRE_PEERS=1
swift build --build-tests
# The CLI tests run the built executable.
export TARN_EXECUTABLE="$(swift build --show-bin-path)/tarn"
swift test --skip-build "$@"
