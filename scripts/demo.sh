#!/usr/bin/env bash
# Tarn's main job on the embedded default: builds the `tarn` CLI (release) and runs
# the demo against ./lakehouse (or $TARN_ROOT). Installs libzstd-dev when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product tarn >&2
exec "$(swift build -c release --show-bin-path)/tarn" demo "$@"
