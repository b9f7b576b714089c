"""Checks the rows Tarn read from a Delta table against what deltalake reads.

Usage: delta_check_tarn_read.py OUTDIR — OUTDIR/tarn-manifest.json is a list of
{"file": Tarn's JSON lines (relative to OUTDIR), "version": the version deltalake
must read for comparison, "label", optional "table" (directory under OUTDIR,
default "table"), optional "filter": [column, op, value]}. Each file must hold exactly deltalake's rows of that
version (after the filter), compared order-independently by `id`.
Prints 'OK <label>' or 'MISMATCH <label>: ...', then 'N passed, M failed', flushed,
and leaves with os._exit(0) (deltalake 1.6.6 may abort at exit).
"""
import datetime as dt
import decimal
import json
import os
import sys

import pyarrow as pa
import pyarrow.compute as pc
from deltalake import DeltaTable

from canonical import same

OPS = {"=": pc.equal, "!=": pc.not_equal, "<": pc.less, "<=": pc.less_equal, ">": pc.greater, ">=": pc.greater_equal}


def operand(t, value):
    """The arrow scalar of a filter operand: dates and decimals come as text,
    timestamps as microseconds since the epoch."""
    if pa.types.is_date32(t):
        value = dt.date.fromisoformat(value)
    elif pa.types.is_decimal(t):
        value = decimal.Decimal(value)
    return pa.scalar(value, type=t)


def load_rows(path):
    with open(path) as f:
        return [json.loads(line, parse_float=decimal.Decimal) for line in f if line.strip()]


def compare(table, tarn_rows, key="id"):
    if table.num_rows != len(tarn_rows):
        ids = set(table.column(key).to_pylist())
        got = {r.get(key) for r in tarn_rows}
        return (f"Tarn read {len(tarn_rows)} rows, deltalake {table.num_rows}; "
                f"ids only Tarn has {sorted(got - ids)[:10]}, only deltalake has {sorted(ids - got)[:10]}")
    table = table.take(pc.sort_indices(table, sort_keys=[(key, "ascending")]))
    tarn_rows = sorted(tarn_rows, key=lambda r: r[key])
    for name in table.schema.names:
        t = table.schema.field(name).type
        values = table.column(name).to_pylist()
        for expected, row in zip(values, tarn_rows):
            if name not in row:
                return f"Tarn's rows have no column {name}"
            problem = same(t, expected, row[name], f"{key}={row[key]} column {name}")
            if problem:
                return problem
    extra = set(tarn_rows[0].keys()) - set(table.schema.names) if tarn_rows else set()
    if extra:
        return f"Tarn read columns deltalake does not have: {sorted(extra)}"
    return None


def main(outdir):
    with open(os.path.join(outdir, "tarn-manifest.json")) as f:
        entries = json.load(f)
    tables = {}
    failed = 0
    for entry in entries:
        try:
            at = (entry.get("table", "table"), entry["version"])
            if at not in tables:
                tables[at] = DeltaTable(os.path.join(outdir, at[0]), version=at[1]).to_pyarrow_table()
            table = tables[at]
            if entry.get("filter"):
                column, op, value = entry["filter"]
                table = table.filter(OPS[op](table[column], operand(table.schema.field(column).type, value)))
            problem = compare(table, load_rows(os.path.join(outdir, entry["file"])))
        except Exception as e:  # a failure to compare is a mismatch, not a crash
            problem = f"{type(e).__name__}: {e}"
        if problem:
            failed += 1
            print(f"MISMATCH {entry['label']}: {problem}")
        else:
            print(f"OK {entry['label']}")
        sys.stdout.flush()
    print(f"{len(entries) - failed} passed, {failed} failed")
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1])
