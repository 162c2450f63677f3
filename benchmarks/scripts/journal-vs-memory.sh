#!/usr/bin/env bash
# What the journal costs at full speed: the gateway's load test against the embedded default with the journal on
# (the default) and off (etc/io.tagbridge.buffer.cfg journal=false), alternating, in fresh working directories.
# Prints one line per run, from the load test's JSON report.
#
# Usage: benchmarks/scripts/journal-vs-memory.sh [rate] [duration] [runs]
# Needs: mvn -DskipTests package (for bndrun/target/tagbridge.jar) and jq.
set -euo pipefail

rate=${1:-max}
duration=${2:-30}
runs=${3:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
jar="$root/bndrun/target/tagbridge.jar"

run() {
    local mode=$1 work
    work=$(mktemp -d)
    mkdir -p "$work/etc"
    echo "org.osgi.service.http.port=0" >"$work/etc/org.apache.felix.http.cfg"
    if [ "$mode" = memory ]; then
        echo "journal=false" >"$work/etc/io.tagbridge.buffer.cfg"
    fi
    (cd "$work" && java -jar "$jar" load --rate "$rate" --duration "$duration" --json >"$work/stdout.txt" \
        2>"$work/stderr.txt") || true
    grep '^{' "$work/stdout.txt" | tail -1 | jq -c --arg mode "$mode" '{mode: $mode, passed, throughputPerSecond,
        writeLatencyP50Ms, writeLatencyP99Ms, sourceToCommitP99Ms, heapPeakMb}' ||
        echo "{\"mode\":\"$mode\",\"failed\":\"see $work\"}"
    # a run that failed, or failed its verification, is kept with what it printed
    if grep '^{' "$work/stdout.txt" | tail -1 | jq -e '.passed' >/dev/null 2>&1; then
        rm -rf "$work"
    else
        echo "a run failed; kept in $work" >&2
    fi
}

for _ in $(seq "$runs"); do
    run journal
    run memory
done
