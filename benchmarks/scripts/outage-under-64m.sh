#!/usr/bin/env bash
# The gateway at 10,000 values/s in a 64 MB heap, writing to an H2 TCP server that is killed 20 s into the run
# and restarted after the outage. Prints the load test's JSON report, the longest GC pause and how the backlog
# drained once the database was back: the backlog at that moment, how long until less than a second's values
# waited (-1: not while the load ran), the values written per second until then and after the load stopped, and
# the written count's fastest rise in one second (from the progress lines).
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
# The progress lines, "N s  offered X (R/s)  buffer B  written W  backed up K", then "waiting for N values still
# on their way" once a second after the load stopped.
drain=$(tr -d ',' <"$work/gateway.log" | awk -v back=$((outage_start + outage_length)) -v rate="$rate" '
    /^ +[0-9]+ s  offered/ { s = $1; w = $9
        if (s >= back && !atBack) { atBack = 1; backlog = $7; w0 = w; s0 = s }
        if (atBack && !caught && s > s0 && $7 < rate) { caught = s; wc = w }
        if (s > back && s - ps == 1 && w - pw > max) max = w - pw
        ps = s; pw = w; last = w; lastS = s }
    /waiting for [0-9]+ values still on their way/ { n++; if (n == 1) first = $3; final = $3 }
    END { if (!caught) { wc = last; end = lastS } else end = caught
        printf "backlogAtBack=%d caughtUpAfterSeconds=%s catchUpPerSecond=%.0f drainAfterLoadPerSecond=%.0f drainPerSecond=%d",
        backlog, (caught ? caught - s0 : "-1"), (end > s0 ? (wc - w0) / (end - s0) : 0),
        (n > 1 ? (first - final) / (n - 1) : 0), max }')
echo "exit=$status maxGcPauseMs=${max_pause:-0} $drain ingestPerSecond=$rate" \
    "backupFiles=$(find "$work/backup" -name '*.csv' 2>/dev/null | wc -l) work=$work" >&2
cat "$work/report.json"
# a run that passed its verification leaves nothing behind (its database and journal take a gigabyte or more)
if grep '^{' "$work/report.json" | tail -1 | grep -q '"passed":true'; then
    rm -rf "$work"
fi
