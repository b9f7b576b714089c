"""Writes the Parquet interop matrix with pyarrow: every type Tarn supports, nulls,
extreme values, nested types, each codec, dictionary and plain, data page v1 and v2,
several row groups, and special encodings. Usage: parquet_matrix.py OUTDIR

Writes OUTDIR/<name>.parquet for each case and OUTDIR/manifest.json listing them.
Deterministic: the same files every run.
"""
import datetime as dt
import decimal
import json
import os
import random
import sys

import pyarrow as pa
import pyarrow.parquet as pq

UTC = dt.timezone.utc
ROWS = 600


def values_for(rng, n):
    """Column data for the main types table (n rows, ~10% nulls everywhere)."""

    def maybe(v, i):
        return None if i % 10 == 7 else v

    ints64 = [-(2**63), 2**63 - 1, 0, -1, 1]
    floats = [float("nan"), float("inf"), float("-inf"), -0.0, 0.0, 1.5e300, -2.5e-300, 0.1]
    words = ["", "a", "é", "日本語", "emoji 🚀", "x" * 10_000, "line\nbreak", 'quote " and \\', "\u0000nul"]
    cols = {}
    cols["b"] = [maybe(i % 3 == 0, i) for i in range(n)]
    cols["i8"] = [maybe([-128, 127, 0, -1][i % 4] if i < 8 else rng.randint(-128, 127), i) for i in range(n)]
    cols["i16"] = [maybe([-32768, 32767][i % 2] if i < 4 else rng.randint(-32768, 32767), i) for i in range(n)]
    cols["i32"] = [maybe([-(2**31), 2**31 - 1][i % 2] if i < 4 else rng.randint(-(2**31), 2**31 - 1), i) for i in range(n)]
    cols["i64"] = [maybe(ints64[i] if i < len(ints64) else rng.randint(-(2**63), 2**63 - 1), i) for i in range(n)]
    cols["u8"] = [maybe(255 if i == 1 else rng.randint(0, 255), i) for i in range(n)]
    cols["u16"] = [maybe(65535 if i == 1 else rng.randint(0, 65535), i) for i in range(n)]
    cols["u32"] = [maybe(2**32 - 1 if i == 1 else rng.randint(0, 2**32 - 1), i) for i in range(n)]
    cols["u64"] = [maybe(2**64 - 1 if i == 1 else rng.randint(0, 2**64 - 1), i) for i in range(n)]
    cols["f32"] = [maybe(floats[i] if i < len(floats) else rng.uniform(-1e6, 1e6), i) for i in range(n)]
    cols["f64"] = [maybe(floats[i] if i < len(floats) else rng.gauss(0, 1e3), i) for i in range(n)]
    cols["s"] = [maybe(words[i % len(words)] if i < 30 else f"value-{rng.randint(0, 50)}", i) for i in range(n)]
    cols["bin"] = [maybe(bytes(rng.randint(0, 255) for _ in range(i % 17)), i) for i in range(n)]
    cols["d"] = [maybe(dt.date(1970, 1, 1) + dt.timedelta(days=rng.randint(-40000, 40000)), i) for i in range(n)]
    base = dt.datetime(1970, 1, 1, tzinfo=UTC)
    ts = [maybe(base + dt.timedelta(microseconds=rng.randint(-(2**52), 2**52)), i) for i in range(n)]
    ts[0] = base - dt.timedelta(microseconds=1)
    cols["ts"] = ts
    cols["ts_ntz"] = [None if v is None else v.replace(tzinfo=None) for v in ts]
    cols["ts_ms"] = [None if v is None else v.replace(microsecond=(v.microsecond // 1000) * 1000) for v in ts]
    cols["dec9"] = [maybe(decimal.Decimal(rng.randint(-(10**9) + 1, 10**9 - 1)).scaleb(-2), i) for i in range(n)]
    cols["dec18"] = [maybe(decimal.Decimal(rng.randint(-(10**18) + 1, 10**18 - 1)).scaleb(-4), i) for i in range(n)]
    cols["dec38"] = [maybe(decimal.Decimal(rng.randint(-(10**38) + 1, 10**38 - 1)).scaleb(-10), i) for i in range(n)]
    cols["emb"] = [maybe([rng.uniform(-1, 1) for _ in range(8)], i) for i in range(n)]
    cols["li"] = [maybe([None if j == 2 else rng.randint(-5, 5) for j in range(i % 4)], i) for i in range(n)]
    cols["st"] = [maybe({"a": None if i % 5 == 0 else i, "b": None if i % 6 == 0 else f"s{i}"}, i) for i in range(n)]
    cols["m"] = [maybe([(f"k{j}", None if j == 1 else i * j) for j in range(i % 3)], i) for i in range(n)]
    cols["ls"] = [maybe([{"x": float(j), "y": None if j == 0 else str(j)} if j != 1 else None for j in range(i % 3)], i) for i in range(n)]
    cols["sl"] = [maybe({"inner": None if i % 4 == 0 else list(range(i % 3))}, i) for i in range(n)]
    return cols


SCHEMA = pa.schema([
    ("b", pa.bool_()), ("i8", pa.int8()), ("i16", pa.int16()), ("i32", pa.int32()), ("i64", pa.int64()),
    ("u8", pa.uint8()), ("u16", pa.uint16()), ("u32", pa.uint32()), ("u64", pa.uint64()),
    ("f32", pa.float32()), ("f64", pa.float64()), ("s", pa.string()), ("bin", pa.binary()),
    ("d", pa.date32()), ("ts", pa.timestamp("us", tz="UTC")), ("ts_ntz", pa.timestamp("us")),
    ("ts_ms", pa.timestamp("ms", tz="UTC")),
    ("dec9", pa.decimal128(9, 2)), ("dec18", pa.decimal128(18, 4)), ("dec38", pa.decimal128(38, 10)),
    ("emb", pa.list_(pa.float32())), ("li", pa.list_(pa.int64())),
    ("st", pa.struct([("a", pa.int32()), ("b", pa.string())])),
    ("m", pa.map_(pa.string(), pa.int64())),
    ("ls", pa.list_(pa.struct([("x", pa.float64()), ("y", pa.string())]))),
    ("sl", pa.struct([("inner", pa.list_(pa.int32()))])),
])


def main(out):
    os.makedirs(out, exist_ok=True)
    rng = random.Random(20261129)
    table = pa.table(values_for(rng, ROWS), schema=SCHEMA)
    cases = []

    def write(name, t, **kw):
        pq.write_table(t, os.path.join(out, name + ".parquet"), **kw)
        cases.append(name)

    for codec in ["none", "snappy", "gzip", "zstd", "lz4"]:
        for dictionary in [True, False]:
            for page in ["1.0", "2.0"]:
                name = f"types-{codec}-{'dict' if dictionary else 'plain'}-v{page[0]}"
                write(name, table, compression=codec, use_dictionary=dictionary,
                      data_page_version=page, row_group_size=250)
    flat = table.select(["b", "i32", "i64", "f32", "f64", "s", "d", "ts"])
    write("empty", table.slice(0, 0))
    all_null = pa.table({f.name: pa.nulls(50, f.type) for f in SCHEMA}, schema=SCHEMA)
    write("all-null", all_null)
    write("one-row-groups", flat, row_group_size=1)
    write("byte-stream-split", flat.select(["f32", "f64", "i32", "i64"]), use_dictionary=False,
          use_byte_stream_split=True)
    write("delta-encodings", flat.select(["i32", "i64", "s"]), use_dictionary=False,
          column_encoding={"i32": "DELTA_BINARY_PACKED", "i64": "DELTA_BINARY_PACKED", "s": "DELTA_BYTE_ARRAY"})
    write("delta-length", flat.select(["s"]), use_dictionary=False,
          column_encoding={"s": "DELTA_LENGTH_BYTE_ARRAY"})
    write("int96", flat.select(["ts"]), use_deprecated_int96_timestamps=True)
    write("legacy-lists", table.select(["emb", "li", "ls"]), use_compliant_nested_type=False)
    write("checksums", flat, write_page_checksum=True)
    write("small-pages", flat, data_page_size=512, row_group_size=300)
    big = pa.table({"k": pa.array([f"key-{i:07d}-{'z' * (i % 40)}" for i in range(60_000)])})
    write("dictionary-fallback", big, compression="zstd")
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(cases, f)
    print(len(cases))


if __name__ == "__main__":
    main(sys.argv[1])
