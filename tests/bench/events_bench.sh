#!/usr/bin/env bash
# make bench: events end to end (outbox → relay → Redis Stream → consumer transaction) on a
# private PostgreSQL and Redis. Knobs: EVENTS_BACKLOG=20000 EVENTS_RATE=500 EVENTS_SECONDS=10, and
# EVENTS_BATCH (consumer entries per read = baseline rows per transaction; default: the
# consumer's default).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
export CIVIL_BENCH_LIB=${CIVIL_BENCH_LIB:-$ROOT/tests/bench}  # targets.py (run.sh's table)
source "$ROOT/deploy/local/lib.sh"
WORK=$(mktemp -d /tmp/civil-events-bench-XXXXXX)
chmod 755 "$WORK"
PG_PORT=$(free_port)
REDIS_PORT=$(free_port)
cleanup() {
  [[ -n ${REDIS_PID:-} ]] && kill "$REDIS_PID" 2>/dev/null && wait "$REDIS_PID" 2>/dev/null
  pg_stop "$WORK"
  rm -rf "$WORK"
}
trap cleanup EXIT
pg_start "$WORK" "$PG_PORT"
redis_start "$WORK" "$REDIS_PORT"
sleep 0.5
mkdir -p "$BUILD/bench"
"$BUILD/tests/events_bench" 127.0.0.1 "$PG_PORT" "$REDIS_PORT" "${EVENTS_BACKLOG:-20000}" \
  "${EVENTS_RATE:-500}" "${EVENTS_SECONDS:-10}" ${EVENTS_BATCH:+"$EVENTS_BATCH"} \
  2>"$WORK/events.log" | tee "$BUILD/bench/events.md"
# Into make bench's table of targets: the throughput and the p99 rows of the table above.
awk -F'|' '/^\| throughput over/ {print "events.throughput_per_s", $3}
           /^\| delivery latency p99/ {print "events.delivery_p99_ms", $3}' "$BUILD/bench/events.md" |
  while read -r key value; do python3 "$CIVIL_BENCH_LIB/targets.py" record "$key" "$value"; done
