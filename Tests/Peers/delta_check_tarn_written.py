"""Checks Delta tables Tarn wrote, as deltalake (delta-rs) reads them.

Usage: delta_check_tarn_written.py OUTDIR — OUTDIR/manifest.json is a list of tables:
  {"name", "path", "key", "types": {column: Delta type name},
   "commits": [{"version", "operation", "mode", "rows": jsonl file or null}],
   "history": [{"version", "operation", "mode", "timestamp"}]   (Tarn's history()),
   "files": [relative decoded data file paths of Tarn's latest snapshot],
   "checkpoints": [versions that must have a classic checkpoint]}
The rows files hold the batches Tarn wrote in that commit, as Tarn's JSON lines.
For every table and every version v, deltalake's DeltaTable(path, version=v) must
return exactly the rows Tarn wrote up to v (an overwrite starts afresh), compared
order-independently by the key column; deltalake's history() and its file list
must agree with Tarn's; the add statistics deltalake parses must bound the data, and
deltalake's filtered scans (which skip files by them) must return the right rows.
Prints 'OK <case>' or 'MISMATCH <case>: ...' per case, then 'N passed, M failed',
flushed, and leaves with os._exit(0) (deltalake 1.6.6 may abort at exit).
"""
import datetime as dt
import decimal
import json
import os
import shutil
import sys
import tempfile
import urllib.parse

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from deltalake import DeltaTable

from canonical import same

EPOCH_UTC = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)

FLAT_TYPES = {
    "byte": lambda t: pa.types.is_int8(t),
    "short": lambda t: pa.types.is_int16(t),
    "int": lambda t: pa.types.is_int32(t),
    "integer": lambda t: pa.types.is_int32(t),
    "long": lambda t: pa.types.is_int64(t),
    "float": lambda t: pa.types.is_float32(t),
    "double": lambda t: pa.types.is_float64(t),
    "string": lambda t: pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t),
    "binary": lambda t: pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_binary_view(t),
    "boolean": lambda t: pa.types.is_boolean(t),
    "date": lambda t: pa.types.is_date32(t),
    "timestamp": lambda t: pa.types.is_timestamp(t) and t.tz is not None,
}


def type_matches(delta_name, t):
    if delta_name in FLAT_TYPES:
        return FLAT_TYPES[delta_name](t)
    if delta_name.startswith("decimal("):
        p, s = (int(x) for x in delta_name[len("decimal("):-1].split(","))
        return pa.types.is_decimal(t) and t.precision == p and t.scale == s
    if delta_name.startswith("array<"):
        return pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_list_view(t)
    if delta_name.startswith("struct<"):
        return pa.types.is_struct(t)
    if delta_name.startswith("map<"):
        return pa.types.is_map(t)
    return False


def load_rows(outdir, name):
    rows = []
    with open(os.path.join(outdir, name)) as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line, parse_float=decimal.Decimal))
    return rows


def compare_rows(table, expected_rows, key):
    """deltalake's arrow `table` against Tarn's written JSON rows, ordered by `key`."""
    if table.num_rows != len(expected_rows):
        return f"deltalake read {table.num_rows} rows, Tarn wrote {len(expected_rows)}"
    names = table.schema.names
    tarn_columns = set(expected_rows[0].keys()) if expected_rows else set(names)
    if set(names) != tarn_columns:
        return f"deltalake columns {sorted(names)}, Tarn wrote {sorted(tarn_columns)}"
    order = pc.sort_indices(table, sort_keys=[(key, "ascending")])
    table = table.take(order)
    expected_rows = sorted(expected_rows, key=lambda r: r[key])
    columns = {n: table.column(n).to_pylist() for n in names}
    for name in names:
        t = table.schema.field(name).type
        values = columns[name]
        for i, row in enumerate(expected_rows):
            problem = same(t, values[i], row.get(name), f"{key}={row[key]} column {name}")
            if problem:
                return problem.replace(": expected ", ": deltalake read ", 1).replace("Tarn gave", "Tarn wrote")
    return None


def check_types(table, types):
    for name, delta_name in types.items():
        if name not in table.schema.names:
            return f"deltalake has no column {name}"
        t = table.schema.field(name).type
        if not type_matches(delta_name, t):
            return f"column {name}: deltalake type {t}, Tarn's Delta type {delta_name}"
    return None


def check_history(dt, tarn_history):
    theirs = {h["version"]: h for h in dt.history()}
    ours = {h["version"]: h for h in tarn_history}
    if sorted(theirs) != sorted(ours):
        return f"deltalake history versions {sorted(theirs)}, Tarn's {sorted(ours)}"
    for v, h in ours.items():
        d = theirs[v]
        mode = (d.get("operationParameters") or {}).get("mode")
        if d.get("operation") != h.get("operation") or mode != h.get("mode") or d.get("timestamp") != h["timestamp"]:
            return (f"version {v}: deltalake says {d.get('operation')}/{mode}/{d.get('timestamp')}, "
                    f"Tarn says {h.get('operation')}/{h.get('mode')}/{h['timestamp']}")
    return None


def relative_paths(dt, root):
    prefix = root.rstrip("/") + "/"
    uris = []
    for uri in dt.file_uris():
        if uri.startswith("file://"):
            uri = urllib.parse.unquote(uri[len("file://"):])
        uris.append(uri[len(prefix):] if uri.startswith(prefix) else uri)
    return sorted(uris)


def check_files(dt, entry):
    ours = sorted(entry["files"])
    uris = relative_paths(dt, entry["path"])
    if uris != ours:
        return f"deltalake file_uris {uris}, Tarn's snapshot files {ours}"
    actions = pa.table(dt.get_add_actions(flatten=True))
    paths = sorted(urllib.parse.unquote(p) for p in actions.column("path").to_pylist())
    if paths != ours:
        return f"deltalake add actions {paths}, Tarn's snapshot files {ours}"
    return check_stats(actions, entry["path"])


def check_stats(actions, root):
    """The statistics deltalake parsed from Tarn's add actions bound each file's data."""
    rows = actions.to_pylist()
    for action in rows:
        path = os.path.join(root, urllib.parse.unquote(action["path"]))
        data = pq.read_table(path)
        if action.get("num_records") is not None and action["num_records"] != data.num_rows:
            return f"{action['path']}: numRecords {action['num_records']}, file has {data.num_rows} rows"
        for column in data.schema.names:
            t = data.schema.field(column).type
            values = data.column(column)
            nulls = action.get(f"null_count.{column}")
            if nulls is not None and nulls != values.null_count:
                return f"{action['path']}: nullCount.{column} {nulls}, file has {values.null_count}"
            if not (pa.types.is_integer(t) or pa.types.is_floating(t) or pa.types.is_string(t)
                    or pa.types.is_date(t) or pa.types.is_timestamp(t) or pa.types.is_decimal(t)):
                continue
            lo, hi = action.get(f"min.{column}"), action.get(f"max.{column}")
            present = values.drop_null()
            if pa.types.is_floating(t):
                present = present.filter(pc.invert(pc.is_nan(present)))
            if len(present) == 0 or (lo is None and hi is None):
                continue
            mm = pc.min_max(present).as_py()
            true_lo, true_hi = mm["min"], mm["max"]
            if pa.types.is_timestamp(t):
                # Delta stats are milliseconds: compare truncated to ms.
                def ms(x):
                    aware = x if x.tzinfo else x.replace(tzinfo=dt.timezone.utc)
                    return (aware - EPOCH_UTC) // dt.timedelta(milliseconds=1)
                true_lo, true_hi = ms(true_lo), ms(true_hi)
                lo = ms(lo) if lo is not None else None
                hi = ms(hi) if hi is not None else None
                if (lo is not None and lo > true_lo) or (hi is not None and hi < true_hi):
                    return f"{action['path']}: stats of {column} [{lo}, {hi}] do not bound [{true_lo}, {true_hi}] (ms)"
                continue
            if (lo is not None and lo > true_lo) or (hi is not None and hi < true_hi):
                return f"{action['path']}: stats of {column} [{lo!r:.60}, {hi!r:.60}] do not bound [{true_lo!r:.60}, {true_hi!r:.60}]"
    return None


def sql_literal(t, value):
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "'" + value.replace("'", "''") + "'"
    if pa.types.is_date32(t):
        return f"DATE '{value.isoformat()}'"
    if pa.types.is_timestamp(t):
        utc = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return f"TIMESTAMP '{utc.isoformat(timespec='microseconds')}Z'"
    if pa.types.is_decimal(t):
        return f"CAST('{value}' AS DECIMAL({t.precision},{t.scale}))"
    return repr(value)


def check_filtered(root, key):
    """deltalake's DataFusion scans, which skip files by Tarn's partition values and
    statistics, return exactly the rows a full read filtered afterwards returns."""
    table = DeltaTable(root)
    full = table.to_pyarrow_table()
    cases = []
    for name in ("id", "i8", "i16", "i32", "f32", "f64", "name", "region", "day", "ts", "amount",
                 "n", "l", "d", "dec", "f", "s"):
        if name not in full.schema.names:
            continue
        t = full.schema.field(name).type
        values = full.column(name).drop_null()
        if pa.types.is_floating(t):
            values = values.filter(pc.is_finite(values))
        if len(values) == 0:
            continue
        ordered = pc.sort_indices(values)
        for pick in (len(values) // 2, len(values) - 1):
            pivot = values[ordered[pick].as_py()]
            for op, fn in ((">=", pc.greater_equal), ("=", pc.equal), ("<", pc.less)):
                predicate, mask = f"{name} {op} {sql_literal(t, pivot.as_py())}", fn(full.column(name), pivot)
                if pa.types.is_floating(t):
                    # DataFusion orders NaN above every number; pyarrow compares it false.
                    predicate += f" AND NOT isnan({name})"
                    mask = pc.and_(mask, pc.invert(pc.is_nan(full.column(name))))
                cases.append((predicate, mask))
    for name in ("region", "day", "n", "b", "s"):
        if name in full.schema.names:
            cases.append((f"{name} IS NULL", pc.is_null(full.column(name))))
    for predicate, mask in cases:
        expected = sorted(full.filter(mask).column(key).to_pylist())
        reader = pa.RecordBatchReader.from_stream(table.scan(columns=[key], predicate=predicate))
        got = sorted(pa.table(reader).column(key).to_pylist())
        if got != expected:
            return (f"scan where {predicate}: deltalake returned {len(got)} rows, the filtered full read has "
                    f"{len(expected)}; missing ids {sorted(set(expected) - set(got))[:10]}, "
                    f"extra ids {sorted(set(got) - set(expected))[:10]}")
    return None


def check_checkpoints(entry, expected_latest):
    log = os.path.join(entry["path"], "_delta_log")
    for v in entry["checkpoints"]:
        path = os.path.join(log, f"{v:020d}.checkpoint.parquet")
        if not os.path.exists(path):
            return f"no checkpoint file {os.path.basename(path)}"
        checkpoint = pq.read_table(path)
        for column in ("add", "metaData", "protocol"):
            if column not in checkpoint.schema.names:
                return f"checkpoint {v} has no '{column}' column (columns {checkpoint.schema.names})"
    if entry["checkpoints"]:
        with open(os.path.join(log, "_last_checkpoint")) as f:
            last = json.load(f)
        if last.get("version") != max(entry["checkpoints"]):
            return f"_last_checkpoint names version {last.get('version')}, expected {max(entry['checkpoints'])}"
        return read_from_checkpoint_alone(entry, last["version"], expected_latest)
    return None


def read_from_checkpoint_alone(entry, checkpoint, expected_latest):
    """deltalake reads the latest version from a copy of the table whose commits before
    Tarn's last checkpoint are gone (as after log cleanup): the checkpoint must suffice."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = os.path.join(scratch, "table")
        shutil.copytree(entry["path"], copy)
        log = os.path.join(copy, "_delta_log")
        for name in os.listdir(log):
            if name[:20].isdigit() and int(name[:20]) < checkpoint:
                os.remove(os.path.join(log, name))
        table = DeltaTable(copy)
        if table.version() != entry["commits"][-1]["version"]:
            return f"from checkpoint {checkpoint} alone deltalake loads version {table.version()}"
        problem = compare_rows(table.to_pyarrow_table(), expected_latest, entry["key"])
        return f"from checkpoint {checkpoint} alone: {problem}" if problem else None


def run_case(label, fn, results):
    try:
        problem = fn()
    except Exception as e:  # a peer error is a mismatch, not a crash of the checker
        problem = f"{type(e).__name__}: {e}"
    results.append(problem is None)
    print(f"MISMATCH {label}: {problem}" if problem else f"OK {label}")
    sys.stdout.flush()


def check_table(outdir, entry, results):
    name, root, key = entry["name"], entry["path"], entry["key"]
    accumulated = []
    for commit in entry["commits"]:
        v = commit["version"]
        if commit.get("rows") is not None:
            written = load_rows(outdir, commit["rows"])
            accumulated = written if commit.get("mode") == "Overwrite" else accumulated + written
        expected = list(accumulated)

        def read_version(v=v, expected=expected):
            table = DeltaTable(root, version=v).to_pyarrow_table()
            return check_types(table, entry["types"]) or compare_rows(table, expected, key)
        run_case(f"{name} version {v}", read_version, results)
    latest = DeltaTable(root)
    run_case(f"{name} latest version", lambda: None if latest.version() == entry["commits"][-1]["version"]
             else f"deltalake's latest version {latest.version()}, Tarn committed {entry['commits'][-1]['version']}", results)
    run_case(f"{name} history", lambda: check_history(latest, entry["history"]), results)
    run_case(f"{name} files and stats", lambda: check_files(latest, entry), results)
    latest_rows = list(accumulated)
    run_case(f"{name} checkpoints", lambda: check_checkpoints(entry, latest_rows), results)
    run_case(f"{name} filtered scans skipping files by Tarn's stats", lambda: check_filtered(root, key), results)


def main(outdir):
    with open(os.path.join(outdir, "manifest.json")) as f:
        tables = json.load(f)
    results = []
    for entry in tables:
        try:
            check_table(outdir, entry, results)
        except Exception as e:
            results.append(False)
            print(f"MISMATCH {entry['name']}: {type(e).__name__}: {e}")
    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed")
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1])
