#!/usr/bin/env bash
# The power-cut soak (BENCHMARKS.md, "Power cuts in a row"): the exported gateway with its whole working directory
# on LazyFS, writing to an H2 server outside it while a producer posts over REST; the power is cut at random
# moments, again and again, on one data directory. Prints a line per cut and counts failed starts, acknowledged
# values lost and broken counter identities (goal: 0 each); exits 1 if any is not 0.
#
# Usage: benchmarks/scripts/power-cut-soak.sh [cuts] [values/s] [seed]       (defaults: 50 2000 random)
# Needs: root and /dev/fuse; LazyFS (built here by ../shared/tools/lazyfs/build.sh, or LAZYFS=<path of lazyfs>);
#        mvn -DskipTests install, then mvn -Pbench -DskipTests -pl benchmarks compile.
# MVN="mvn -o" works offline; SOAK_DIR=<dir> works there (default: a new temporary directory, kept);
# SOAK_JAR=<jar> runs another gateway jar.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
lazyfs=${LAZYFS:-$("$root/../shared/tools/lazyfs/build.sh" | tail -1)}
cpfile=$(mktemp)
(cd "$root/benchmarks" && ${MVN:-mvn} -q -B -Pbench dependency:build-classpath -Dmdep.outputFile="$cpfile" >/dev/null)
cp=$(cat "$cpfile") && rm -f "$cpfile"
exec java -Dtagbridge.lazyfs="$lazyfs" -Dsoak.jar="${SOAK_JAR:-$root/bndrun/target/tagbridge.jar}" \
    -Dsoak.dir="${SOAK_DIR:-}" -cp "$root/benchmarks/target/classes:$cp" io.tagbridge.benchmarks.PowerCutSoak "$@"
