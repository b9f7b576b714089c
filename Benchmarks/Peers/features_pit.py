"""The peers' side of the feature-store benchmark: point-in-time joins.

Usage:
  features_pit.py spine OUT.parquet ROWS
      Writes the deterministic spine: entity_id int64 (0..109,999, so about 9% of the
      spine rows have no feature rows at all), ts timestamp(us, UTC) in the dataset's year,
      row_id int64. Made before anything is timed.
  features_pit.py run FEATURES.parquet SPINE.parquet REPEATS
      Loads both files into memory (untimed), then times, REPEATS times each:
      DuckDB `ASOF LEFT JOIN` (spine.ts >= features.event_ts on entity_id, result
      materialized as an Arrow table) and pandas `merge_asof` (sorting both sides by time,
      as merge_asof requires, is part of the timed work; the result is put back in spine
      order). Prints one JSON object as the last line: medians in seconds and, for checking
      against Tarn, the number of matched rows and the sum of f0 over them.
"""
import json
import statistics
import sys
import time

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq


def make_spine(out, rows):
    rng = np.random.default_rng(20261130)
    start = np.int64(1_735_689_600_000_000)  # 2025-01-01T00:00:00Z in µs
    entity = rng.integers(0, 110_000, rows, dtype=np.int64)
    ts = start + rng.integers(0, 365 * 86_400_000_000, rows, dtype=np.int64)
    table = pa.table({
        "entity_id": pa.array(entity),
        "ts": pa.array(ts, type=pa.timestamp("us", tz="UTC")),
        "row_id": pa.array(np.arange(rows, dtype=np.int64)),
    })
    pq.write_table(table, out, compression="none")


def timed(body):
    t0 = time.perf_counter()
    result = body()
    return time.perf_counter() - t0, result


def run(features_path, spine_path, repeats):
    features = pq.read_table(features_path)
    spine = pq.read_table(spine_path)
    result = {"features_rows": features.num_rows, "spine_rows": spine.num_rows}

    con = duckdb.connect()
    con.register("features", features)
    con.register("spine", spine)
    query = """
        SELECT s.entity_id, s.ts, s.row_id, f.event_ts, f.f0, f.f1, f.f2, f.f3, f.f4, f.f5, f.f6, f.f7,
               f."count", f.segment, f.score
        FROM spine s ASOF LEFT JOIN features f
          ON s.entity_id = f.entity_id AND s.ts >= f.event_ts
        ORDER BY s.row_id
    """
    def duckdb_join():
        relation = con.sql(query)
        # duckdb 2.x: to_arrow_table (no extra copy); older releases: arrow().
        fetch = getattr(relation, "to_arrow_table", None) or getattr(relation, "arrow")
        return fetch()

    times = []
    out = None
    for _ in range(repeats):
        t, out = timed(duckdb_join)
        times.append(t)
    result["duckdb_asof_s"] = statistics.median(times)
    matched = out.column("event_ts").is_valid()
    result["duckdb_matched"] = int(pc.sum(matched).as_py() or 0)
    result["duckdb_f0_sum"] = float(pc.sum(out.column("f0")).as_py() or 0.0)

    features_df = features.to_pandas()
    spine_df = spine.to_pandas()

    def pandas_join():
        left = spine_df.sort_values("ts", kind="stable")
        right = features_df.sort_values("event_ts", kind="stable")
        joined = pd.merge_asof(left, right, left_on="ts", right_on="event_ts", by="entity_id",
                               direction="backward", allow_exact_matches=True)
        return joined.sort_values("row_id", kind="stable")

    times = []
    joined = None
    for _ in range(repeats):
        t, joined = timed(pandas_join)
        times.append(t)
    result["pandas_merge_asof_s"] = statistics.median(times)
    result["pandas_matched"] = int(joined["event_ts"].notna().sum())
    result["pandas_f0_sum"] = float(joined["f0"].sum())
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "spine":
        make_spine(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "run":
        run(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit(f"unknown command {sys.argv[1]}")
