"""deltalake's (delta-rs 1.6.6) side of the operations benchmark.

Usage:
  deltalake_operations.py source SORTED.parquet OUT.parquet
      Writes the MERGE source: 100,000 rows keyed by (entity_id, event_ts) — every 40th
      row of the sorted dataset with f0 + 1 and count + 1 (50,000 updates), and 50,000
      new rows (entity_id 100,000 + i) — uncompressed, for both sides to load.
  deltalake_operations.py merge TABLE SOURCE.parquet
  deltalake_operations.py delete TABLE LIMIT
  deltalake_operations.py optimize TABLE
      Runs one operation on TABLE (a copy made for this run) in this fresh process and
      prints one JSON object as the last line: seconds (the operation only, inputs
      loaded before), peak_rss_mb of this process, and the operation's metrics.
deltalake aborts at interpreter exit now and then, after the work is done: the result
is printed and flushed first and the process ends with os._exit(0).
"""
import json
import os
import resource
import sys
import time

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from deltalake import DeltaTable


def peak_rss_mb():
    # VmHWM is this process image's peak; ru_maxrss would include the parent's
    # memory at fork time (Linux keeps it across exec).
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def make_source(sorted_path, out):
    data = pq.read_table(sorted_path)
    picked = data.take(pa.array(range(0, data.num_rows, 40))).slice(0, 50_000)
    updates = picked.set_column(picked.schema.get_field_index("f0"), "f0", pc.add(picked.column("f0"), 1.0))
    updates = updates.set_column(updates.schema.get_field_index("count"), "count",
                                 pc.add(updates.column("count"), pa.scalar(1, pa.int32())))
    base = data.slice(0, 50_000)
    inserts = base.set_column(base.schema.get_field_index("entity_id"), "entity_id",
                              pa.array(range(100_000, 150_000), pa.int64()))
    pq.write_table(pa.concat_tables([updates, inserts]), out, compression="none")


def main(argv):
    mode = argv[1]
    if mode == "source":
        make_source(argv[2], argv[3])
        print(json.dumps({"ok": True}))
        return
    table = argv[2]
    if mode == "merge":
        source = pq.read_table(argv[3])
        dt = DeltaTable(table)
        t0 = time.perf_counter()
        metrics = (dt.merge(source, predicate="t.entity_id = s.entity_id AND t.event_ts = s.event_ts",
                            source_alias="s", target_alias="t")
                   .when_matched_update_all().when_not_matched_insert_all().execute())
        seconds = time.perf_counter() - t0
    elif mode == "delete":
        dt = DeltaTable(table)
        t0 = time.perf_counter()
        metrics = dt.delete(f"entity_id < {int(argv[3])}")
        seconds = time.perf_counter() - t0
    elif mode == "optimize":
        dt = DeltaTable(table)
        t0 = time.perf_counter()
        metrics = dt.optimize.compact()
        seconds = time.perf_counter() - t0
    else:
        raise SystemExit(f"unknown mode {mode}")
    print(json.dumps({"seconds": seconds, "peak_rss_mb": peak_rss_mb(),
                      "metrics": {k: v for k, v in metrics.items() if isinstance(v, (int, float))}}))


if __name__ == "__main__":
    main(sys.argv)
    sys.stdout.flush()
    os._exit(0)
