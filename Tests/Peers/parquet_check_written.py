"""Checks the Parquet files Tarn wrote, as pyarrow and DuckDB see them.

Usage: parquet_check_written.py OUTDIR — OUTDIR/tarn-manifest.json lists objects
{"file": <Tarn-written path relative to OUTDIR>, "source": <matrix name>}. For each:
  * pyarrow reads it with exactly the source file's values and equivalent types;
  * the statistics pyarrow reports for each flat column chunk equal the true
    min/max/null count of that row group's values;
  * DuckDB reads it, and a filtered count(*) per column matches pyarrow's count.
Prints 'OK <file>' or 'MISMATCH <file>: ...', then 'N passed, M failed'.
"""
import json
import math
import os
import sys

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from canonical import python_values_equal


def normalize(t, zone_agnostic=False):
    """Type identity up to what Parquet cannot carry (timestamp unit ms→us, list field names).

    With `zone_agnostic` the UTC flag of timestamps is ignored: INT96 sources are naive in
    pyarrow but UTC instants in Tarn (as in Spark), and Tarn writes them as UTC INT64.
    """
    if pa.types.is_timestamp(t):
        return ("timestamp", None if zone_agnostic else t.tz is not None)
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return ("list", normalize(t.value_type))
    if pa.types.is_map(t):
        return ("map", normalize(t.key_type), normalize(t.item_type))
    if pa.types.is_struct(t):
        return ("struct", tuple((f.name, normalize(f.type)) for f in t))
    if pa.types.is_large_string(t):
        return str(pa.string())
    return str(t)


def flat(t):
    return not (pa.types.is_nested(t))


def comparable(t):
    return (pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_string(t)
            or pa.types.is_date(t) or pa.types.is_timestamp(t) or pa.types.is_decimal(t))


def check_stats(pf, table):
    md = pf.metadata
    start = 0
    for rg in range(md.num_row_groups):
        rgmd = md.row_group(rg)
        n = rgmd.num_rows
        if n == 0:
            continue
        for ci in range(rgmd.num_columns):
            col = rgmd.column(ci)
            name = col.path_in_schema
            if name not in table.schema.names:
                continue  # nested leaf
            t = table.schema.field(name).type
            if not comparable(t) and not pa.types.is_boolean(t):
                continue
            values = table.column(name).slice(start, n)
            st = col.statistics
            if st is None:
                return f"row group {rg} column {name}: no statistics written"
            nulls = values.null_count
            if st.has_null_count and st.null_count != nulls:
                return f"row group {rg} column {name}: null_count {st.null_count}, true {nulls}"
            data = values.drop_null()
            if pa.types.is_floating(t):
                data = data.filter(pc.invert(pc.is_nan(data)))
            if len(data) == 0:
                continue
            if not st.has_min_max:
                if pa.types.is_string(t) and max(len(s) for s in data.to_pylist()) > 64:
                    continue  # long strings may be left without bounds (documented)
                return f"row group {rg} column {name}: no min/max written"
            mm = pc.min_max(data).as_py()
            lo, hi = st.min, st.max
            if pa.types.is_floating(t):
                ok = float(lo) <= mm["min"] and float(hi) >= mm["max"]
                exact = (lo == mm["min"] or (lo == 0 and mm["min"] == 0)) and (hi == mm["max"] or (hi == 0 and mm["max"] == 0))
                if not (ok and exact):
                    return f"row group {rg} column {name}: stats [{lo}, {hi}], true [{mm['min']}, {mm['max']}]"
            elif pa.types.is_timestamp(t):
                if not (python_values_equal(t, lo, mm["min"]) and python_values_equal(t, hi, mm["max"])):
                    return f"row group {rg} column {name}: stats [{lo}, {hi}], true [{mm['min']}, {mm['max']}]"
            elif lo != mm["min"] or hi != mm["max"]:
                return f"row group {rg} column {name}: stats [{lo!r:.80}, {hi!r:.80}], true [{mm['min']!r:.80}, {mm['max']!r:.80}]"
        start += n
    return None


def check_duckdb(path, table):
    con = duckdb.connect()
    total = con.execute("select count(*) from read_parquet(?)", [path]).fetchone()[0]
    if total != table.num_rows:
        return f"DuckDB counts {total} rows, expected {table.num_rows}"
    for field in table.schema:
        t = field.type
        if not (pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_string(t) or pa.types.is_date(t)):
            continue
        data = table.column(field.name).drop_null()
        if pa.types.is_floating(t):
            data = data.filter(pc.invert(pc.is_nan(data)))
        if len(data) == 0:
            continue
        pivot = sorted(data.to_pylist())[len(data) // 2]
        if pa.types.is_floating(t) and math.isinf(pivot):
            continue
        expected = pc.sum(pc.greater(data, pa.scalar(pivot, type=t))).as_py() or 0
        # DuckDB sorts NaN above every number, so NaN is excluded explicitly.
        nan_guard = f' and not isnan("{field.name}")' if pa.types.is_floating(t) else ""
        sql = f'select count(*) from read_parquet(?) where "{field.name}" > ?{nan_guard}'
        got = con.execute(sql, [path, pivot]).fetchone()[0]
        if got != expected:
            return f"DuckDB count where {field.name} > {pivot!r:.40}: {got}, expected {expected}"
    return None


def check(out, entry):
    path = os.path.join(out, entry["file"])
    source = pq.read_table(os.path.join(out, entry["source"] + ".parquet"))
    pf = pq.ParquetFile(path)
    table = pf.read()
    if table.num_rows != source.num_rows:
        return f"rows: {table.num_rows}, expected {source.num_rows}"
    if table.schema.names != source.schema.names:
        return f"columns {table.schema.names}, expected {source.schema.names}"
    for f in source.schema:
        got = table.schema.field(f.name).type
        agnostic = entry["source"].startswith("int96")
        if normalize(got, agnostic) != normalize(f.type, agnostic):
            return f"column {f.name}: type {got}, expected {f.type}"
        a, b = source.column(f.name).to_pylist(), table.column(f.name).to_pylist()
        for i, (x, y) in enumerate(zip(a, b)):
            if not python_values_equal(f.type, x, y):
                return f"row {i} column {f.name}: {y!r:.200}, expected {x!r:.200}"
    return check_stats(pf, table) or check_duckdb(path, table)


def main(out):
    with open(os.path.join(out, "tarn-manifest.json")) as f:
        entries = json.load(f)
    failed = 0
    for entry in entries:
        try:
            problem = check(out, entry)
        except Exception as e:
            problem = f"{type(e).__name__}: {e}"
        if problem:
            failed += 1
            print(f"MISMATCH {entry['file']}: {problem}")
        else:
            print(f"OK {entry['file']}")
    print(f"{len(entries) - failed} passed, {failed} failed")
    sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1])
