"""Generates the deterministic feature-style benchmark dataset.

Usage: features_dataset.py OUT.parquet [ROWS]  (default 2,000,000 rows)
Columns: entity_id int64, event_ts timestamp(us, UTC), f0..f7 float64, count int32,
segment string (50 values), score float64 with 10% nulls. Written uncompressed with
one row group per 1,048,576 rows, as the common input both sides load before timing.
"""
import sys

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq


def main(out, rows):
    rng = np.random.default_rng(20261129)
    entity = rng.integers(0, 100_000, rows, dtype=np.int64)
    start = np.int64(1_735_689_600_000_000)  # 2025-01-01T00:00:00Z in µs
    ts = start + rng.integers(0, 365 * 86_400_000_000, rows, dtype=np.int64)
    cols = {"entity_id": pa.array(entity), "event_ts": pa.array(ts, type=pa.timestamp("us", tz="UTC"))}
    for i in range(8):
        cols[f"f{i}"] = pa.array(rng.normal(0.0, 1.0 + i, rows))
    cols["count"] = pa.array(rng.integers(0, 1000, rows, dtype=np.int32))
    segments = np.array([f"segment-{i:02d}" for i in range(50)])
    cols["segment"] = pa.array(segments[rng.integers(0, 50, rows)])
    score = rng.random(rows)
    mask = rng.random(rows) < 0.10
    cols["score"] = pa.array(score, mask=mask)
    pq.write_table(pa.table(cols), out, compression="none", row_group_size=1_048_576)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 2_000_000)
