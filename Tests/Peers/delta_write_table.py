"""Writes a partitioned Delta table with deltalake (delta-rs), for Tarn to read.

Usage: delta_write_table.py OUTDIR — writes OUTDIR/table and OUTDIR/versions.json,
a list of {"version", "timestamp" (commitInfo ms), "operation"} for every
version. The table is partitioned by `part` (with a null partition) and gets 30
versions: a create, appends of several types with nulls, explicit checkpoints (the
default interval is 100), two overwrites (one of them replaceWhere), deletes that
rewrite files or drop whole files (so `remove` actions exist), a compaction
(dataChange=false), an update; snappy data files. OUTDIR/ntz is a second, small
table with a timestamp_ntz column (protocol 3/7 with timestampNtz); OUTDIR/typed_parts
is partitioned by int, date, timestamp, boolean and decimal columns.
Ids are unique across all writes, so rows compare by id. Prints 'WROTE N versions',
flushed, and leaves with os._exit(0) (deltalake 1.6.6 may abort at exit).
"""
import datetime as dt
import decimal
import json
import os
import sys

import pyarrow as pa
import pyarrow.compute as pc
from deltalake import DeltaTable, write_deltalake

SCHEMA = pa.schema([
    ("id", pa.int64()),
    ("part", pa.string()),
    ("value", pa.float64()),
    ("name", pa.string()),
    ("small", pa.int16()),
    ("flag", pa.bool_()),
    ("blob", pa.binary()),
    ("day", pa.date32()),
    ("ts", pa.timestamp("us", tz="UTC")),
    ("amount", pa.decimal128(10, 2)),
    ("emb", pa.list_(pa.float32())),
    ("info", pa.struct([("a", pa.int32()), ("b", pa.string())])),
    ("tags", pa.map_(pa.string(), pa.int64())),
])

PARTS = ["a", "b", "c", None, "d e"]


def rows(start, count):
    ids = list(range(start, start + count))

    def nul(i, m, r, v):
        return None if i % m == r else v
    return pa.table({
        "id": ids,
        "part": [PARTS[i % len(PARTS)] for i in ids],
        "value": [nul(i, 9, 4, (i * 37 % 1000) / 1000.0) for i in ids],
        "name": [nul(i, 7, 1, f"row {i} ✓" if i % 11 else "") for i in ids],
        "small": [nul(i, 6, 2, (i * 131) % 65536 - 32768) for i in ids],
        "flag": [nul(i, 5, 3, i % 2 == 0) for i in ids],
        "blob": [nul(i, 8, 6, bytes([i % 256, 0, 255])) for i in ids],
        "day": [nul(i, 10, 9, dt.date(2024, 1, 1) + dt.timedelta(days=i % 40)) for i in ids],
        "ts": [nul(i, 12, 5, dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc) + dt.timedelta(microseconds=i * 1_234_567)) for i in ids],
        "amount": [nul(i, 13, 7, decimal.Decimal(i * 7 - 5000).scaleb(-2)) for i in ids],
        "emb": [nul(i, 9, 8, [] if i % 10 == 0 else [float(i), None if i % 7 == 0 else -0.5]) for i in ids],
        "info": [nul(i, 15, 14, {"a": None if i % 4 == 0 else i, "b": f"b{i}"}) for i in ids],
        "tags": [nul(i, 13, 12, [] if i % 6 == 0 else [(f"k{i % 3}", i), ("z", None)]) for i in ids],
    }, schema=SCHEMA)


def write_ntz_table(path):
    """A table with a timestamp without time zone (protocol 3/7, feature timestampNtz),
    partitioned by a string; three versions: create, append, update. Its stats hold
    naive timestamps truncated to milliseconds."""
    def ntz_rows(start):
        ids = list(range(start, start + 20))
        return pa.table({
            "id": ids,
            "p": ["x" if i % 3 else "y" for i in ids],
            "local": pa.array([None if i % 7 == 3 else dt.datetime(1960, 5, 6) + dt.timedelta(days=i * 400, microseconds=i * 1_234_567)
                               for i in ids], pa.timestamp("us")),
        })
    write_deltalake(path, ntz_rows(0), partition_by=["p"])
    write_deltalake(path, ntz_rows(20), mode="append")
    DeltaTable(path).update(updates={"id": "id + 1000"}, predicate="p = 'y'")


def write_typed_partitions_table(path):
    """A table partitioned by an int (with nulls), a date, a UTC timestamp (values like
    '2024-01-01 12:30:15.123456'), a boolean and a decimal; two versions. (deltalake
    1.6.6 cannot write negative decimal partition values: -3.25 becomes '-3.-25'.)"""
    def typed_rows(start):
        ids = list(range(start, start + 24))
        return pa.table({
            "id": ids,
            "n": pa.array([i % 3 if i % 5 else None for i in ids], pa.int32()),
            "d": pa.array([dt.date(2024, 1, 1 + i % 2) for i in ids]),
            "ts": pa.array([dt.datetime(2024, 1, 1, 12, 30, 15, 123456 if i % 4 == 1 else 0, tzinfo=dt.timezone.utc)
                            for i in ids], pa.timestamp("us", tz="UTC")),
            "b": [i % 2 == 0 for i in ids],
            "dec": pa.array([decimal.Decimal("1.50") if i % 3 else decimal.Decimal("12.05") for i in ids], pa.decimal128(5, 2)),
            "v": [float(i) for i in ids],
        })
    write_deltalake(path, typed_rows(0), partition_by=["n", "d", "ts", "b", "dec"])
    write_deltalake(path, typed_rows(24), mode="append")


def main(outdir):
    path = os.path.join(outdir, "table")
    next_id = 0

    def write(count, mode, only_part=None, **kwargs):
        nonlocal next_id
        data = rows(next_id, count)
        if only_part is not None:
            data = data.filter(pc.equal(data["part"], only_part))
        write_deltalake(path, data, mode=mode, **kwargs)
        next_id += count

    write(120, "error", partition_by=["part"])                  # v0
    for k in range(1, 10):                                       # v1..v9
        write(40 + k * 3, "append")
        if k in (5, 9):
            DeltaTable(path).create_checkpoint()
    write(150, "overwrite")                                      # v10
    for k in range(11, 15):                                      # v11..v14
        write(50, "append")
    DeltaTable(path).delete("value < 0.25")                     # v15: rewrites files
    DeltaTable(path).create_checkpoint()
    for k in range(16, 21):                                      # v16..v20
        write(45, "append")
    write(60, "overwrite", only_part="b", predicate="part = 'b'")  # v21: replaceWhere
    DeltaTable(path).delete("part = 'c'")                       # v22: drops whole files
    DeltaTable(path).optimize.compact()                         # v23: dataChange=false rewrite
    DeltaTable(path).update(updates={"name": "'updated'", "value": "value + 1"}, predicate="part = 'a'")  # v24
    for k in range(25, 30):                                      # v25..v29
        write(35, "append")
        if k == 27:
            DeltaTable(path).create_checkpoint()
    write_ntz_table(os.path.join(outdir, "ntz"))
    write_typed_partitions_table(os.path.join(outdir, "typed_parts"))

    table = DeltaTable(path)
    versions = []
    for h in sorted(table.history(), key=lambda h: h["version"]):
        v = h["version"]
        versions.append({"version": v, "timestamp": h["timestamp"], "operation": h["operation"]})
    with open(os.path.join(outdir, "versions.json"), "w") as f:
        json.dump(versions, f)
    print(f"WROTE {len(versions)} versions")
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1])
