"""deltalake's (delta-rs 1.6.6) side of the Delta benchmark.

Usage:
  deltalake_delta.py sort SOURCE.parquet OUT.parquet
      Writes SOURCE sorted by entity_id (uncompressed): the common input of the
      filtered-scan table, made before anything is timed.
  deltalake_delta.py run SOURCE SORTED WORKDIR REPEATS ROW_GROUP_ROWS APPENDS APPEND_ROWS SNAPSHOT_REPEATS
      Loads both inputs into memory (untimed), then measures, as the Swift side does:
      write (zstd, one write into a fresh table), full scan, filtered scan on a table of
      8 appends of the sorted data (each pruning path deltalake offers), APPENDS appends
      of APPEND_ROWS rows (per-commit latency) to a table with delta.checkpointInterval
      10 and to one with 1000000, and cold snapshot loads of both at version 0, APPENDS/2
      and latest. Prints one JSON object as the last line of stdout.
deltalake aborts at interpreter exit now and then, after the work is done: the result
is printed and flushed first and the process ends with os._exit(0).
"""
import json
import os
import shutil
import sys
import time

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from deltalake import DeltaTable, QueryBuilder, WriterProperties, write_deltalake

FILTER_LIMIT = 5000


def fresh(path):
    if os.path.exists(path):
        shutil.rmtree(path)


def timed(body):
    t0 = time.perf_counter()
    result = body()
    return time.perf_counter() - t0, result


def table_bytes(path):
    dt = DeltaTable(path)
    adds = dt.get_add_actions(flatten=True)
    sizes = pa.table(adds).column("size_bytes").to_pylist()
    return sum(sizes), len(sizes)


def sort_source(source, out):
    table = pq.read_table(source)
    table = table.sort_by([("entity_id", "ascending")])
    pq.write_table(table, out, compression="none", row_group_size=1_048_576)


def run(source, sorted_source, workdir, repeats, row_group_rows, appends, append_rows, snapshot_repeats):
    data = pq.read_table(source)
    sorted_data = pq.read_table(sorted_source)
    props = WriterProperties(compression="ZSTD", max_row_group_size=row_group_rows)
    result = {"rows": data.num_rows}

    # 1. One write of the whole dataset into a fresh table.
    path = os.path.join(workdir, "dl-write")
    writes = []
    for _ in range(repeats):
        fresh(path)
        seconds, _ = timed(lambda: write_deltalake(path, data, mode="error", writer_properties=props))
        writes.append(seconds)
    result["write"] = writes
    result["write_bytes"], result["write_files"] = table_bytes(path)

    # 2. Full scan into memory.
    scans = []
    for _ in range(repeats):
        seconds, table = timed(lambda: DeltaTable(path).to_pyarrow_table())
        assert table.num_rows == data.num_rows, table.num_rows
        scans.append(seconds)
        del table
    result["scan"] = scans

    # 3. Filtered scan over 8 files with disjoint entity_id ranges.
    path = os.path.join(workdir, "dl-sorted")
    fresh(path)
    parts = 8
    per_part = (sorted_data.num_rows + parts - 1) // parts
    for i in range(parts):
        write_deltalake(path, sorted_data.slice(i * per_part, per_part), mode="append", writer_properties=props)
    expr = pc.field("entity_id") < FILTER_LIMIT
    sql_predicate = f"entity_id < {FILTER_LIMIT}"
    variants = {
        "pyarrow_dataset": lambda: DeltaTable(path).to_pyarrow_dataset().to_table(filter=expr),
        "pyarrow_dataset_file_pruning": lambda: DeltaTable(path)
        .to_pyarrow_dataset(file_pruning_predicate=sql_predicate)
        .to_table(filter=expr),
        "query_builder": lambda: QueryBuilder()
        .register("t", DeltaTable(path))
        .execute(f"select * from t where {sql_predicate}")
        .read_all(),
        "scan_predicate": lambda: DeltaTable(path).scan(predicate=sql_predicate).read_all(),
    }
    filtered = {}
    filtered_rows = {}
    for name, body in variants.items():
        times = []
        for _ in range(max(repeats, 5)):
            seconds, table = timed(body)
            times.append(seconds)
            filtered_rows[name] = table.num_rows
        filtered[name] = times
    result["filtered"] = filtered
    result["filtered_rows"] = filtered_rows
    dt = DeltaTable(path)
    result["filtered_total_files"] = len(dt.file_uris())
    result["filtered_files"] = len(list(dt.to_pyarrow_dataset().get_fragments(filter=expr)))

    # 4 and 5. Appends, then cold snapshot loads, with and without checkpoints.
    schema = data.schema
    for label, interval in (("ckpt", "10"), ("nockpt", "1000000")):
        path = os.path.join(workdir, f"dl-appends-{label}")
        fresh(path)
        DeltaTable.create(path, schema=schema, configuration={"delta.checkpointInterval": interval})
        dt = DeltaTable(path)
        latencies = []
        for i in range(appends):
            start = (i * append_rows) % max(1, data.num_rows - append_rows)
            chunk = data.slice(start, append_rows)
            seconds, _ = timed(lambda: write_deltalake(dt, chunk, mode="append", writer_properties=props))
            latencies.append(seconds)
        result[f"append_{label}"] = latencies
        log = os.listdir(os.path.join(path, "_delta_log"))
        result[f"checkpoints_{label}"] = sorted(int(n.split(".")[0]) for n in log if ".checkpoint." in n)
        loads = {}
        for key, version in (("0", 0), ("mid", appends // 2), ("latest", None)):
            times = []
            for _ in range(snapshot_repeats):
                if version is None:
                    seconds, table = timed(lambda: DeltaTable(path))
                else:
                    seconds, table = timed(lambda: DeltaTable(path, version=version))
                times.append(seconds)
                expected = appends if version is None else version
                assert table.version() == expected, (table.version(), expected)
            loads[key] = times
        result[f"snapshot_{label}"] = loads
        result[f"files_{label}"] = len(DeltaTable(path).file_uris())

    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    if sys.argv[1] == "sort":
        sort_source(sys.argv[2], sys.argv[3])
    else:
        a = sys.argv[2:]
        run(a[0], a[1], a[2], int(a[3]), int(a[4]), int(a[5]), int(a[6]), int(a[7]))
    sys.stdout.flush()
    os._exit(0)
