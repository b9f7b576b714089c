"""SQL benchmark peers: DuckDB over the same Parquet files as Tarn's tables, and
deltalake's scan (its DataFusion QueryBuilder over the Delta tables).

Usage: duckdb_sql.py MANIFEST.json REPEATS
MANIFEST: {"tables": {name: {"delta": dir, "version": v or null, "files": [abs paths]}},
           "queries": [{"name": str, "sql": str}]}
SQL texts name tables as {name}; DuckDB gets a view per table over read_parquet(files)
(the files of that table version), deltalake a DeltaTable registered under the name.
Both materialize results as Arrow. Prints one JSON object last:
{"duckdb": {query: [seconds...]}, "deltalake": {...}, "rows": {"duckdb": {query: n}, "deltalake": {...}}}
"""
import json
import os
import sys
import time

import duckdb
from deltalake import DeltaTable, QueryBuilder


def main(manifest_path, repeats):
    with open(manifest_path) as f:
        manifest = json.load(f)
    tables = manifest["tables"]
    queries = manifest["queries"]
    result = {"duckdb": {}, "deltalake": {}, "rows": {"duckdb": {}, "deltalake": {}}}

    con = duckdb.connect()
    con.execute("SET threads TO 2")
    for name, table in tables.items():
        files = ", ".join("'" + p.replace("'", "''") + "'" for p in table["files"])
        con.execute(f'CREATE VIEW "{name}" AS SELECT * FROM read_parquet([{files}])')
    for query in queries:
        sql = query["sql"].format(**{n: f'"{n}"' for n in tables})
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            out = con.sql(sql).to_arrow_table()
            times.append(time.perf_counter() - start)
        result["duckdb"][query["name"]] = times
        result["rows"]["duckdb"][query["name"]] = out.num_rows

    for query in queries:
        sql = query["sql"].format(**{n: n for n in tables})
        times = []
        rows = -1
        try:
            for _ in range(repeats):
                start = time.perf_counter()
                builder = QueryBuilder()
                for name, table in tables.items():
                    if name in sql:
                        version = table.get("version")
                        dt = DeltaTable(table["delta"], version=version) if version is not None else DeltaTable(table["delta"])
                        builder = builder.register(name, dt)
                out = builder.execute(sql).read_all()
                times.append(time.perf_counter() - start)
                rows = out.num_rows
        except Exception as error:  # report, keep the other numbers
            print(f"deltalake failed on {query['name']}: {error}", file=sys.stderr)
            times = []
        result["deltalake"][query["name"]] = times
        result["rows"]["deltalake"][query["name"]] = rows

    print(json.dumps(result), flush=True)
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
