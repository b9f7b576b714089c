"""Checks that Tarn read every matrix file with exactly pyarrow's values.

Usage: parquet_check_read.py OUTDIR — for each name in manifest.json, compares
OUTDIR/<name>.parquet read by pyarrow with Tarn's JSON lines in OUTDIR/<name>.tarn.jsonl.
Prints 'OK <name>' or 'MISMATCH <name>: <first difference>' per file, then a summary
line 'N passed, M failed'.
"""
import decimal
import json
import os
import sys

import pyarrow.parquet as pq

from canonical import same


def check(out, name):
    table = pq.read_table(os.path.join(out, name + ".parquet"))
    path = os.path.join(out, name + ".tarn.jsonl")
    if not os.path.exists(path):
        return "Tarn wrote no output"
    with open(path) as f:
        rows = [json.loads(line, parse_float=decimal.Decimal) for line in f if line.strip()]
    if len(rows) != table.num_rows:
        return f"row count: pyarrow {table.num_rows}, Tarn {len(rows)}"
    for field in table.schema:
        expected = table.column(field.name).to_pylist()
        for i, e in enumerate(expected):
            if field.name not in rows[i]:
                return f"row {i}: column {field.name} missing"
            m = same(field.type, e, rows[i][field.name], f"row {i} column {field.name}",
                     zone_agnostic=name.startswith("int96"))
            if m:
                return m
    extra = set(rows[0].keys()) - set(table.schema.names) if rows else set()
    if extra:
        return f"unexpected columns {sorted(extra)}"
    return None


def main(out):
    with open(os.path.join(out, "manifest.json")) as f:
        names = json.load(f)
    failed = 0
    for name in names:
        problem = check(out, name)
        if problem:
            failed += 1
            print(f"MISMATCH {name}: {problem}")
        else:
            print(f"OK {name}")
    print(f"{len(names) - failed} passed, {failed} failed")
    sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1])
