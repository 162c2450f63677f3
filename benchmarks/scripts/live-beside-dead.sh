#!/usr/bin/env bash
# A live target's latency with and without a dead one beside it: the gateway writes to the embedded database
# (writer default) and, in the second setting, also to a database that does not answer (writer dead, a pool on a
# port where nothing listens). The load test measures the live target alone (--target default).
#
# Usage: benchmarks/scripts/live-beside-dead.sh [rate] [duration] [runs]
# Needs: mvn -DskipTests package (for bndrun/target/tagbridge.jar) and jq.
set -euo pipefail

rate=${1:-1000}
duration=${2:-60}
runs=${3:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
jar="$root/bndrun/target/tagbridge.jar"
closed=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

run() {
    local setting=$1 work
    work=$(mktemp -d)
    mkdir -p "$work/etc"
    echo "org.osgi.service.http.port=0" >"$work/etc/org.apache.felix.http.cfg"
    if [ "$setting" = with-dead ]; then
        printf 'name=dead\nurl=jdbc:h2:tcp://127.0.0.1:%s/none\nusername=sa\npoolMin=0\nconnectTimeoutSeconds=2\n' \
            "$closed" >"$work/etc/io.tagbridge.oracle.pool-dead.cfg"
        printf 'name=dead\ndataSource.target=(name=dead)\ntableName=DEAD_VALUES\n' \
            >"$work/etc/io.tagbridge.writer-dead.cfg"
    fi
    (cd "$work" && java -jar "$jar" load --rate "$rate" --duration "$duration" --target default --json \
        >"$work/stdout.txt" 2>"$work/stderr.txt") || true
    grep '^{' "$work/stdout.txt" | tail -1 | jq -c --arg setting "$setting" '{setting: $setting, passed,
        throughputPerSecond, writeLatencyP50Ms, writeLatencyP99Ms, sourceToCommitP50Ms, sourceToCommitP99Ms}' ||
        echo "{\"setting\":\"$setting\",\"failed\":\"see $work\"}"
    # a run that failed, or failed its verification, is kept with what it printed
    if grep '^{' "$work/stdout.txt" | tail -1 | jq -e '.passed' >/dev/null 2>&1; then
        rm -rf "$work"
    else
        echo "a run failed; kept in $work" >&2
    fi
}

for _ in $(seq "$runs"); do
    run alone
    run with-dead
done
