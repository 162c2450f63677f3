#!/usr/bin/env bash
# The gateway at 10,000 values/s in a 64 MB heap, writing to an H2 TCP server that is killed 20 s into the run
# and restarted after the outage. Prints the load test's JSON report, the longest GC pause and how fast the
# backlog drained once the database was back (the written count's fastest rise in one second).
#
# WRITE_DELAY=0 makes H2 write each commit to its file before it answers, as Oracle does with its redo log:
# with H2's default delay, a server killed with -9 forgets the commits of its last moments although it
# confirmed them, and the load test rightly reports those values as lost.
#
# Usage: benchmarks/scripts/outage-under-64m.sh [rate] [duration] [outage-start] [outage-length]
# Needs: mvn -DskipTests package (for bndrun/target/tagbridge.jar); the H2 server is the gateway's own H2 jar.
set -euo pipefail

rate=${1:-10000}
duration=${2:-60}
outage_start=${3:-20}
outage_length=${4:-20}

root=$(cd "$(dirname "$0")/../.." && pwd)
jar="$root/bndrun/target/tagbridge.jar"
work=$(mktemp -d)
h2="$work/h2.jar"
unzip -p "$jar" 'jar/h2-*.jar' >"$h2"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

start_h2() {
    java -cp "$h2" org.h2.tools.Server -tcp -tcpPort "$port" -ifNotExists -baseDir "$work/h2" >"$work/h2.log" 2>&1 &
    h2_pid=$!
    for _ in $(seq 50); do
        (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return
        sleep 0.1
    done
    echo "the H2 server did not start: $(cat "$work/h2.log")" >&2
    exit 1
}

mkdir -p "$work/etc"
cat >"$work/etc/io.tagbridge.oracle.pool-default.cfg" <<CFG
name=default
url=jdbc:h2:tcp://127.0.0.1:$port/bench;MODE=Oracle;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0
username=sa
password=
CFG

start_h2
cd "$work"
java -Xmx64m -Xlog:gc:file="$work/gc.log" -jar "$jar" load --rate "$rate" --duration "$duration" --json \
    >"$work/report.json" 2>"$work/gateway.log" &
gateway=$!

sleep "$outage_start"
kill -9 "$h2_pid"
echo "outage: H2 server killed at ${outage_start} s" >&2
sleep "$outage_length"
start_h2
echo "outage: H2 server back at $((outage_start + outage_length)) s" >&2

status=0
wait "$gateway" || status=$?
kill "$h2_pid" 2>/dev/null || true

max_pause=$(grep Pause "$work/gc.log" | grep -o '[0-9.]*ms$' | tr -d 'ms' | sort -g | tail -1)
# The drain: the fastest the written count rose in one second after the database came back (progress lines).
drain=$(grep -E '^ +[0-9]+ s  offered' "$work/gateway.log" | tr -d ',' |
    awk -v back=$((outage_start + outage_length)) '{ s = $1; w = $(NF - 3); if (s > back && s - ps == 1 && w - pw > max) max = w - pw; ps = s; pw = w }
        END { print max + 0 }')
echo "exit=$status maxGcPauseMs=${max_pause:-0} drainPerSecond=$drain ingestPerSecond=$rate" \
    "backupFiles=$(find "$work/backup" -name '*.csv' 2>/dev/null | wc -l) work=$work" >&2
cat "$work/report.json"
