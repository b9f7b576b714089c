"""Point-in-time join peers for Tests/TarnInteropTests/FeatureInteropTests.swift.

Arguments: <feature table dir> <spine.parquet> <tarn.parquet> <tarn_lookback.parquet> <lookback µs>
Reads the feature table with deltalake, joins the spine with DuckDB's ASOF JOIN and with
pandas.merge_asof (feature ts <= spine time, same entity; with a lookback also
ts >= time - lookback), and compares both to Tarn's training sets row by row (spine
order). Prints one JSON line: counts of rows, matches and mismatches per peer, and a
few mismatch examples. Leaves with os._exit(0) (deltalake may abort at exit).
"""
import json
import os
import sys

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from deltalake import DeltaTable


def to_micros(table, column):
    index = table.schema.get_field_index(column)
    return table.set_column(index, column, table.column(column).cast(pa.int64()))


def values(frame, column):
    return [None if pd.isna(v) else v for v in frame[column].tolist()]


def compare(name, expected, tarn, columns, report):
    mismatches = 0
    for column in columns:
        want, got = values(expected, column), tarn[column]
        for i, (a, b) in enumerate(zip(want, got)):
            if a != b:
                mismatches += 1
                if len(report["examples"]) < 10:
                    report["examples"].append(f"{name} row {i} {column}: peer {a!r} tarn {b!r}")
    report[name] = mismatches


def main():
    table_dir, spine_path, tarn_path, tarn_lb_path, lookback = sys.argv[1:6]
    lookback = int(lookback)
    features = to_micros(DeltaTable(table_dir).to_pyarrow_table(), "ts")
    spine = to_micros(pq.read_table(spine_path), "at")
    spine = spine.append_column("row_index", pa.array(range(spine.num_rows), pa.int64()))
    tarn = pq.read_table(tarn_path).to_pydict()
    tarn_lb = pq.read_table(tarn_lb_path).to_pydict()
    report = {"rows": spine.num_rows, "tarn_rows": len(tarn["entity"]), "examples": []}
    columns = ["amount", "category"]

    con = duckdb.connect()
    con.register("features", features)
    con.register("spine", spine)
    duck = con.execute(
        "SELECT s.row_index, f.ts, f.amount, f.category FROM spine s "
        "ASOF LEFT JOIN features f ON s.entity = f.entity AND s.at >= f.ts ORDER BY s.row_index"
    ).df()
    report["matched"] = int(duck["ts"].notna().sum())
    compare("duckdb", duck, tarn, columns, report)
    duck_lb = con.execute(
        "SELECT s.row_index, f.ts, "
        f"CASE WHEN f.ts >= s.at - {lookback} THEN f.amount END AS amount, "
        f"CASE WHEN f.ts >= s.at - {lookback} THEN f.category END AS category "
        "FROM spine s ASOF LEFT JOIN features f ON s.entity = f.entity AND s.at >= f.ts ORDER BY s.row_index"
    ).df()
    compare("duckdb_lookback", duck_lb, tarn_lb, columns, report)

    left = spine.to_pandas().sort_values("at", kind="stable")
    right = features.select(["entity", "ts"] + columns).to_pandas().sort_values("ts", kind="stable")
    merged = pd.merge_asof(left, right, left_on="at", right_on="ts", by="entity", direction="backward",
                           allow_exact_matches=True).sort_values("row_index")
    compare("pandas", merged, tarn, columns, report)
    merged_lb = pd.merge_asof(left, right, left_on="at", right_on="ts", by="entity", direction="backward",
                              allow_exact_matches=True, tolerance=lookback).sort_values("row_index")
    compare("pandas_lookback", merged_lb, tarn_lb, columns, report)
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # report, then leave without deltalake's exit handlers
        print(json.dumps({"error": repr(error)}), flush=True)
    os._exit(0)
