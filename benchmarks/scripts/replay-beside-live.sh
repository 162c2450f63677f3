#!/usr/bin/env bash
# A live target's latency while its writer replays a backup file: the gateway writes to the embedded database at
# the given rate, alone and then with a pending backup file of the given size in backup/default/ that the writer
# replays meanwhile (at its default replay rate, 5,000 values/s). Prints the load test's figures and how many of the
# file's values were replayed during the run.
#
# Usage: benchmarks/scripts/replay-beside-live.sh [rate] [duration] [runs] [file values]
# Needs: mvn -DskipTests package (for bndrun/target/tagbridge.jar), python3 and jq.
set -euo pipefail

rate=${1:-1000}
duration=${2:-60}
runs=${3:-3}
file_values=${4:-300000}
root=$(cd "$(dirname "$0")/../.." && pwd)
jar="$root/bndrun/target/tagbridge.jar"

backup_file() {
    python3 - "$1" "$file_values" <<'PY'
import sys, datetime
path, n = sys.argv[1], int(sys.argv[2])
base = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
with open(path, "w") as f:
    f.write("tag_name,source_time,value_type,value,quality,received_time\n# reason: written for a benchmark\n")
    for i in range(n):
        t = (base + datetime.timedelta(microseconds=i * 1000)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        f.write(f"replay.tag{i % 100:03d},{t},d,{i * 0.5},192,{t}\n")
PY
}

run() {
    local setting=$1 work replayed
    work=$(mktemp -d)
    mkdir -p "$work/etc"
    echo "org.osgi.service.http.port=0" >"$work/etc/org.apache.felix.http.cfg"
    if [ "$setting" = replaying ]; then
        mkdir -p "$work/backup/default"
        backup_file "$work/backup/default/backup_20250101_000000.csv"
    fi
    (cd "$work" && java -jar "$jar" load --rate "$rate" --duration "$duration" --target default --json \
        >"$work/stdout.txt" 2>"$work/stderr.txt") || true
    replayed=0
    if [ -f "$work/backup/default/backup_20250101_000000.csv.replayed" ]; then
        # one line "rows checksum" per chunk committed; the last whole line counts
        replayed=$(grep -E '^[0-9]+ ' "$work/backup/default/backup_20250101_000000.csv.replayed" | tail -1 |
            cut -d' ' -f1)
        replayed=${replayed:-0}
    elif ls "$work/backup/replayed/default/"*.csv >/dev/null 2>&1; then
        replayed=$file_values
    fi
    grep '^{' "$work/stdout.txt" | tail -1 | jq -c --arg setting "$setting" --argjson replayed "$replayed" \
        '{setting: $setting, passed, throughputPerSecond, writeLatencyP50Ms, writeLatencyP99Ms, sourceToCommitP50Ms,
          sourceToCommitP99Ms, replayed: $replayed}' || echo "{\"setting\":\"$setting\",\"failed\":\"see $work\"}"
    # a run that failed, or failed its verification, is kept with what it printed
    if grep '^{' "$work/stdout.txt" | tail -1 | jq -e '.passed' >/dev/null 2>&1; then
        rm -rf "$work"
    else
        echo "a run failed; kept in $work" >&2
    fi
}

for _ in $(seq "$runs"); do
    run alone
    run replaying
done
