#!/usr/bin/env bash
# Installs what Tarn needs that a fresh Debian machine with the Swift toolchain lacks:
# libzstd-dev (apt) and, with --peers, a Python venv (.venv) holding the interop peers.
# Idempotent: does nothing when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_zstd=0
if ! pkg-config --exists libzstd 2>/dev/null && [ ! -f /usr/include/zstd.h ]; then need_zstd=1; fi
if [ "$need_zstd" = 1 ]; then
    echo "setup: installing libzstd-dev (apt-get)" >&2
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libzstd-dev pkg-config >&2
fi

if [ "${1:-}" = "--peers" ]; then
    stamp=.venv/.requirements-installed
    if [ ! -x .venv/bin/python ] || ! cmp -s scripts/requirements-peers.txt "$stamp"; then
        echo "setup: creating .venv with the interop peers (pyarrow, duckdb, deltalake, pandas)" >&2
        python3 -m venv .venv
        .venv/bin/python -m pip install -q --disable-pip-version-check -r scripts/requirements-peers.txt >&2
        cp scripts/requirements-peers.txt "$stamp"
    fi
fi
