#!/usr/bin/env bash
# What durable commits cost the embedded H2 database: the gateway's load test against the embedded default
# (WRITE_DELAY=0: each commit reaches the file before it returns) and against the same file database with H2's
# default write delay (commits kept in memory for up to 500 ms). Three runs each, alternating, in fresh working
# directories; prints one line per run, from the load test's JSON report.
#
# Usage: benchmarks/scripts/embedded-durability.sh [rate] [duration] [runs]
# Needs: mvn -DskipTests package (for bndrun/target/tagbridge.jar) and jq.
set -euo pipefail

rate=${1:-max}
duration=${2:-20}
runs=${3:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
jar="$root/bndrun/target/tagbridge.jar"

run() {
    local mode=$1 work
    work=$(mktemp -d)
    mkdir -p "$work/etc"
    echo "org.osgi.service.http.port=0" >"$work/etc/org.apache.felix.http.cfg"
    if [ "$mode" = delayed ]; then
        cat >"$work/etc/io.tagbridge.oracle.pool-default.cfg" <<CFG
name=default
url=jdbc:h2:file:$work/data/tagbridge;MODE=Oracle;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE
username=sa
CFG
    fi
    (cd "$work" && java -jar "$jar" load --rate "$rate" --duration "$duration" --json >"$work/stdout.txt" \
        2>"$work/stderr.txt") || true
    grep '^{' "$work/stdout.txt" | tail -1 | jq -c --arg mode "$mode" '{mode: $mode, passed, throughputPerSecond,
        writeLatencyP50Ms, writeLatencyP99Ms, sourceToCommitP99Ms, batches}' ||
        echo "{\"mode\":\"$mode\",\"failed\":\"see $work\"}"
    # a run that failed, or failed its verification, is kept with what it printed
    if grep '^{' "$work/stdout.txt" | tail -1 | jq -e '.passed' >/dev/null 2>&1; then
        rm -rf "$work"
    else
        echo "a run failed; kept in $work" >&2
    fi
}

for _ in $(seq "$runs"); do
    run durable
    run delayed
done
