"""Appends to a Delta table, with deltalake, the rows of one of its earlier versions
with their ids shifted, so a table another engine created gets a deltalake commit.

Usage: delta_append_shifted.py TABLE VERSION OFFSET — reads VERSION, adds OFFSET to
`id`, appends the rows (deltalake's snappy files, its own partition directories) and
prints 'APPENDED <new version> <rows>'. Output is flushed and the script leaves with
os._exit(0) (deltalake 1.6.6 may abort at exit).
"""
import os
import sys

import pyarrow.compute as pc
from deltalake import DeltaTable, write_deltalake


def main(path, version, offset):
    rows = DeltaTable(path, version=version).to_pyarrow_table()
    index = rows.schema.get_field_index("id")
    shifted = pc.add(rows.column("id"), offset).cast(rows.schema.field("id").type)
    rows = rows.set_column(index, rows.schema.field("id"), shifted)
    write_deltalake(path, rows, mode="append")
    print(f"APPENDED {DeltaTable(path).version()} {rows.num_rows}")


if __name__ == "__main__":
    try:
        main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
    except Exception as e:  # reported on stdout for the Swift test to show
        print(f"FAILED {type(e).__name__}: {e}")
    sys.stdout.flush()
    os._exit(0)
