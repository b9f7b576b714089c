#!/usr/bin/env bash
# Tarn's main job on the embedded default: builds the `tarn` CLI (release) and runs a
# tour against ./lakehouse (or --root DIR / $TARN_ROOT): a versioned Delta table with
# time travel (`tarn demo`), SQL over it (`tarn sql`), and the feature store (a feature
# table, a point-in-time training set, an online lookup). Installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
swift build -c release --product tarn >&2
tarn="$(swift build -c release --show-bin-path)/tarn"

root="${TARN_ROOT:-./lakehouse}"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    if [ "${args[$i]}" = "--root" ] && [ $((i + 1)) -lt ${#args[@]} ]; then root="${args[$((i + 1))]}"; fi
done
export TARN_ROOT="$root"

"$tarn" demo "$@"

step() { printf '\n%s\n' "$1"; }
show() {
    local shown="" arg
    for arg in "$@"; do
        if [[ "$arg" == *" "* ]]; then shown+=" \"$arg\""; else shown+=" $arg"; fi
    done
    printf '   $ tarn%s\n' "$shown"
    "$tarn" "$@"
}

step "7. SQL over the same table: aggregate an old version, time travel, the table's history"
show sql "SELECT segment, count(*) AS events, round(avg(f0), 2) AS avg_f0 FROM demo.events VERSION AS OF 3 GROUP BY segment ORDER BY segment LIMIT 4"
show sql "SELECT count(*) AS rows_now FROM demo.events; SELECT count(*) AS rows_at_v2 FROM demo.events@v2"
show sql "DESCRIBE HISTORY demo.events LIMIT 3"

step "8. Feature store: a feature table from SQL, a point-in-time training set, an online lookup"
work="$root/_demo"
mkdir -p "$work"
"$tarn" features drop demo.user_scores --if-exists >/dev/null
show sql --format parquet --output "$work/user_scores.parquet" \
    "SELECT entity_id % 100 AS user_id, event_ts AS ts, f0 AS score, f1 AS activity FROM demo.events VERSION AS OF 3 WHERE entity_id < 5000"
show features create demo.user_scores --keys user_id --timestamp-key ts --from "$work/user_scores.parquet" --description "per-user scores"
show sql --format parquet --output "$work/spine.parquet" \
    "SELECT entity_id % 100 AS user_id, event_ts - INTERVAL 1 SECOND AS ts, f1 > 0 AS label FROM demo.events VERSION AS OF 3 WHERE entity_id IN (150, 1234, 2345, 3456, 4999)"
cat > "$work/lookups.json" <<'JSON'
{"lookups": [{"table": "demo.user_scores", "lookupKey": "user_id", "timestampLookupKey": "ts", "features": ["score", "activity"]}],
 "functions": [{"name": "score_x_activity", "expression": "round(score * activity, 1)"}],
 "label": "label"}
JSON
show features training-set --spine "$work/spine.parquet" --spec "$work/lookups.json" --output "$work/training.csv"
cat "$work/training.csv"
show features publish demo.user_scores --mode full
show features lookup demo.user_scores --key 17 --key 42 --key 12345

step "Try: tarn sql                      (an interactive SQL shell on $root)"
echo "     tarn features describe demo.user_scores"
