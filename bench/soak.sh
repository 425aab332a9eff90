#!/usr/bin/env bash
# Issue 9's soak: `run` in listen mode for MINUTES (default 20) between two filesystem-backed S3 servers on loopback,
# with steady writes and deletes on the source and the listen stream ended cleanly every few minutes (a catch-up pass
# must follow each). Passes when threads and heap stay flat and the target equals the source at the end.
# Usage: bench/soak.sh [minutes]      (END_EVERY=40s or 3m, CHANGES_PER_SECOND=4 to change the defaults)
# Prints the samples as they are taken and the verdict; Maven's whole output stays in a log file (its name is printed).
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${1:-20}
LOG=$(mktemp /tmp/migrator-soak.XXXXXX.log)
echo "soak of $MINUTES min; Maven's output in $LOG"
set +e
# the samples as they come: the table grows every 30 s, the verdict is the last line
mvn -B verify -Dit.test=RunSoak -Dsoak.minutes="$MINUTES" ${END_EVERY:+-Dsoak.end-every=$END_EVERY} \
  ${CHANGES_PER_SECOND:+-Dsoak.changes-per-second=$CHANGES_PER_SECOND} 2>&1 | tee "$LOG" | grep --line-buffered '^soak'
CODE=${PIPESTATUS[0]}
set -e
if [ $CODE -ne 0 ]; then
  # the verdict line says why when the soak itself failed; otherwise the build did (compile error, ...)
  grep -E '^\[ERROR\]' "$LOG" | head -20 >&2
  echo "soak FAILED (mvn exit $CODE); see $LOG" >&2
fi
exit $CODE
