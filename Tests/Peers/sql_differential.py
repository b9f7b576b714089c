"""Runs SQL queries in DuckDB over the Parquet files of Tarn tables, for the SQL
differential test.

Usage: sql_differential.py MANIFEST.json QUERIES.json OUT.jsonl
MANIFEST: {"tables": [{"schema": "d", "name": "t1", "columns": ["id", ...],
           "partitionColumns": {"p": "VARCHAR"}, "files": [{"path": abs, "partition": {"p": "x"}}]}]}
QUERIES: a JSON list of SQL texts. Each table becomes a DuckDB view schema.name over its
current files (partition values as constant columns), so the same SQL text runs here
and in Tarn. OUT gets one JSON object per query, in order: {"rows": [[cell, ...], ...]}
with every cell as text (NULL, integers, floats with repr, dates ISO, booleans
true/false), or {"error": "..."}. Prints 'done N' when finished.
"""
import datetime as dt
import decimal
import json
import sys

import duckdb


def cell(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def quote(text):
    return "'" + text.replace("'", "''") + "'"


def main(manifest_path, queries_path, out_path):
    with open(manifest_path) as f:
        manifest = json.load(f)
    with open(queries_path) as f:
        queries = json.load(f)
    con = duckdb.connect()
    con.execute("SET threads TO 2")
    for table in manifest["tables"]:
        con.execute(f'CREATE SCHEMA IF NOT EXISTS "{table["schema"]}"')
        parts = []
        partition_types = table.get("partitionColumns", {})
        for file in table["files"]:
            selects = []
            for column in table["columns"]:
                if column in partition_types:
                    value = file["partition"].get(column)
                    literal = "NULL" if value is None else quote(value)
                    selects.append(f'CAST({literal} AS {partition_types[column]}) AS "{column}"')
                else:
                    selects.append(f'"{column}"')
            parts.append(f"SELECT {', '.join(selects)} FROM read_parquet({quote(file['path'])})")
        if not parts:
            raise SystemExit(f"table {table['name']} has no files")
        con.execute(f'CREATE VIEW "{table["schema"]}"."{table["name"]}" AS ' + " UNION ALL ".join(parts))
    with open(out_path, "w") as out:
        for sql in queries:
            try:
                rows = con.execute(sql).fetchall()
                out.write(json.dumps({"rows": [[cell(v) for v in row] for row in rows]}) + "\n")
            except Exception as error:  # a query DuckDB rejects is reported, not fatal
                out.write(json.dumps({"error": str(error)}) + "\n")
    print(f"done {len(queries)}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
