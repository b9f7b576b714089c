#!/usr/bin/env bash
# Installs what Tarn needs that a fresh Debian machine with the Swift toolchain lacks:
# libzstd-dev and libsqlite3-dev (apt) and, with --peers, a Python venv (.venv) holding the interop peers.
# Idempotent: does nothing when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
apt_updated=0
apt_install() {
    if [ "$apt_updated" = 0 ]; then $SUDO apt-get update -qq >&2; apt_updated=1; fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >&2
}

need_zstd=0
if ! pkg-config --exists libzstd 2>/dev/null && [ ! -f /usr/include/zstd.h ]; then need_zstd=1; fi
missing=()
if [ "$need_zstd" = 1 ]; then missing+=(libzstd-dev pkg-config); fi
if [ ! -f /usr/include/sqlite3.h ]; then missing+=(libsqlite3-dev); fi
if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing ${missing[*]} (apt-get)" >&2
    apt_install "${missing[@]}"
fi

if [ "${1:-}" = "--peers" ]; then
    stamp=.venv/.requirements-installed
    if [ ! -x .venv/bin/python ] || ! cmp -s scripts/requirements-peers.txt "$stamp"; then
        echo "setup: creating .venv with the interop peers (pyarrow, duckdb, deltalake, pandas)" >&2
        if ! python3 -m venv .venv >/dev/null 2>&1; then
            # Debian's system Python keeps venv/ensurepip in a separate package.
            echo "setup: installing python3-venv (apt-get)" >&2
            rm -rf .venv
            apt_install python3-venv python3-pip
            python3 -m venv .venv
        fi
        .venv/bin/python -m pip install -q --disable-pip-version-check -r scripts/requirements-peers.txt >&2
        cp scripts/requirements-peers.txt "$stamp"
    fi
fi
