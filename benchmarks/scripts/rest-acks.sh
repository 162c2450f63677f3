#!/usr/bin/env bash
# What an acknowledgment that means "on disk" costs a REST producer: the exported gateway (simulator off, embedded
# H2, journal on with its defaults) takes POST /api/buffer/values from 1 and from 8 producers posting 100 values per
# request over kept-alive connections, as fast as it answers. Runs alternate between the jars given, in fresh
# working directories, so that an older build (fast acknowledgments) and this one meet the same machine state.
#
# Usage: benchmarks/scripts/rest-acks.sh [seconds] [runs] [jar ...]
#   default jar: bndrun/target/tagbridge.jar. For the "before" figures, build an older commit's jar, e.g.
#   git worktree add /tmp/before <commit> && (cd /tmp/before && mvn -q -DskipTests package -pl bndrun -am)
# Needs: mvn -Pbench -DskipTests install (for the benchmark classes), curl.
set -euo pipefail

seconds=${1:-20}
runs=${2:-3}
shift $(( $# < 2 ? $# : 2 ))
root=$(cd "$(dirname "$0")/../.." && pwd)
jars=("$@")
[ ${#jars[@]} -gt 0 ] || jars=("$root/bndrun/target/tagbridge.jar")
cp="$root/benchmarks/target/classes"
password=bench-Operator-Secret-1

measure() {
    local jar=$1 producers=$2 work port pid
    work=$(mktemp -d)
    port=$(( 20000 + RANDOM % 20000 ))
    mkdir -p "$work/etc"
    printf 'username=operator\npassword=%s\n' "$password" >"$work/etc/io.tagbridge.security.cfg"
    echo "enabled=false" >"$work/etc/io.tagbridge.simulator.cfg"
    echo "concurrentIngestRequests=8" >"$work/etc/io.tagbridge.rest.cfg"
    echo "org.osgi.service.http.port=$port" >"$work/etc/org.apache.felix.http.cfg"
    (cd "$work" && exec java -jar "$jar" >"$work/gateway.log" 2>&1 </dev/null) &
    pid=$!
    for _ in $(seq 120); do
        curl -sf "http://127.0.0.1:$port/api/buffer/health" >/dev/null 2>&1 && break
        sleep 0.5
    done
    java -cp "$cp" io.tagbridge.benchmarks.RestIngestBenchmark "http://127.0.0.1:$port" operator "$password" \
        "$producers" 5 >/dev/null # warm-up
    echo "$(basename "$(dirname "$(dirname "$(dirname "$jar")")")") $(java -cp "$cp" \
        io.tagbridge.benchmarks.RestIngestBenchmark "http://127.0.0.1:$port" operator "$password" "$producers" \
        "$seconds")"
    kill "$pid" && wait "$pid" || true
    rm -rf "$work"
}

for _ in $(seq "$runs"); do
    for producers in 1 8; do
        for jar in "${jars[@]}"; do
            measure "$jar" "$producers"
        done
    done
done
