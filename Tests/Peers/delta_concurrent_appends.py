"""deltalake's side of simultaneous appends to one Delta table with Tarn.

Usage:
  delta_concurrent_appends.py append TABLE N READY GO — imports deltalake, creates the
    file READY, waits (at most 120 s) until the file GO exists, then makes N appends of
    10 rows (ids 1_000_000 + 10*k ..., writer 'deltalake') with write_deltalake, which
    retries on conflicts by itself. Prints 'APPENDED k' per append, then
    'DONE N'.
  delta_concurrent_appends.py check TABLE IDS_FILE — reads the latest version with
    deltalake and checks that its ids are exactly those in IDS_FILE (a JSON list), each
    once, and that its history has every version 0..latest. Prints 'OK ...' or
    'MISMATCH ...' lines and 'N passed, M failed'.
Output is flushed and the script leaves with os._exit(0) (deltalake 1.6.6 may abort
at exit).
"""
import collections
import json
import os
import shutil
import sys
import time

import pyarrow as pa
from deltalake import CommitProperties, DeltaTable, write_deltalake

SCHEMA = pa.schema([("id", pa.int64()), ("writer", pa.string()), ("seq", pa.int32()), ("value", pa.float64())])


def batch(k):
    ids = [1_000_000 + 10 * k + j for j in range(10)]
    return pa.table({"id": ids, "writer": ["deltalake"] * 10, "seq": [k] * 10,
                     "value": [i / 4 for i in ids]}, schema=SCHEMA)


def append(table, n, ready, go):
    # Warm up on a scratch table so the first real append is as quick as the rest.
    scratch = ready + ".warmup"
    write_deltalake(scratch, batch(0), mode="append")
    DeltaTable(table).to_pyarrow_table()
    shutil.rmtree(scratch, ignore_errors=True)
    with open(ready, "w") as f:
        f.write("ready")
    deadline = time.monotonic() + 120
    while not os.path.exists(go):
        if time.monotonic() > deadline:
            print("NEVER STARTED")
            return
        time.sleep(0.005)
    for k in range(n):
        write_deltalake(table, batch(k), mode="append", commit_properties=CommitProperties(max_commit_retries=200))
        print(f"APPENDED {k}")
        sys.stdout.flush()
    print(f"DONE {n}")


def check(table, ids_file):
    with open(ids_file) as f:
        expected = json.load(f)
    results = []
    dt = DeltaTable(table)
    ids = dt.to_pyarrow_table().column("id").to_pylist()
    counts = collections.Counter(ids)
    twice = sorted(i for i, c in counts.items() if c > 1)
    missing = sorted(set(expected) - set(counts))
    extra = sorted(set(counts) - set(expected))
    if twice or missing or extra:
        results.append(f"MISMATCH rows: {len(twice)} ids twice {twice[:10]}, missing {missing[:10]}, unexpected {extra[:10]}")
    else:
        results.append(f"OK rows: deltalake reads all {len(expected)} rows once")
    history = sorted(dt.history(), key=lambda h: h["version"])
    versions = [h["version"] for h in history]
    writers = ["d" if h.get("engineInfo", "").startswith("delta-rs") else "t" for h in history]
    switches = sum(1 for a, b in zip(writers, writers[1:]) if a != b)
    retries = sum(int((h.get("operationMetrics") or {}).get("num_retries", 0)) for h in history)
    if versions != list(range(dt.version() + 1)):
        results.append(f"MISMATCH history: versions {versions} are not contiguous up to {dt.version()}")
    else:
        results.append(f"OK history: versions 0..{dt.version()}; writers {''.join(writers)} "
                       f"({switches} switches, deltalake retried {retries} times)")
    for line in results:
        print(line)
    failed = sum(1 for line in results if line.startswith("MISMATCH"))
    print(f"{len(results) - failed} passed, {failed} failed")


def main(argv):
    if argv[1] == "append":
        append(argv[2], int(argv[3]), argv[4], argv[5])
    else:
        check(argv[2], argv[3])
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv)
