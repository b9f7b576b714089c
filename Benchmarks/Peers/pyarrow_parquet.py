"""pyarrow's side of the Parquet benchmark.

Usage: pyarrow_parquet.py SOURCE.parquet WORKDIR REPEATS ROW_GROUP_ROWS
Loads SOURCE into memory (untimed), then REPEATS times: writes it with zstd and the
given row-group size, and reads the written file back in full. Prints one JSON object:
{"write": [seconds...], "read": [seconds...], "size": bytes, "rows": n}.
"""
import json
import os
import sys
import time

import pyarrow.parquet as pq


def main(source, workdir, repeats, row_group_rows):
    table = pq.read_table(source)
    path = os.path.join(workdir, "pyarrow.zstd.parquet")
    writes, reads = [], []
    for _ in range(repeats):
        if os.path.exists(path):
            os.remove(path)
        t0 = time.perf_counter()
        pq.write_table(table, path, compression="zstd", row_group_size=row_group_rows)
        writes.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        back = pq.read_table(path)
        reads.append(time.perf_counter() - t0)
        assert back.num_rows == table.num_rows
    print(json.dumps({"write": writes, "read": reads, "size": os.path.getsize(path), "rows": table.num_rows}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
