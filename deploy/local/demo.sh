#!/usr/bin/env bash
# `make demo`: the platform as `make run` starts it, on a fresh state of its own (var/demo, wiped
# first), 枞阳县's first half of 2023 built through the gateway by tools/county_datagen.py at
# DEMO_SCALE (1.0 = the seed's county), and the work summary of 2023-01-01 … 2023-06-30 printed
# as Markdown. The platform keeps running afterwards (Ctrl-C stops it); the plan's expected
# figures are in var/demo/expect.json, the report in var/demo/work-summary.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
export CIVIL_VAR=${CIVIL_VAR:-$ROOT/var/demo}
SCALE=${DEMO_SCALE:-1.0}
GATEWAY_PORT=${CIVIL_GATEWAY_PORT:-8080}
VAR=$CIVIL_VAR

if [[ -d "$VAR/pg" || -d "$VAR/log" ]]; then
  echo "make demo: starting from nothing: removing $VAR" >&2
  rm -rf "$VAR"
fi
mkdir -p "$VAR"
# The generator writes several hundred requests a second: no per-caller rate limit.
export CIVIL_GATEWAY_ARGS="${CIVIL_GATEWAY_ARGS:---rate-limit off}"
"$ROOT/deploy/local/run.sh" >"$VAR/run.out" 2>&1 &
run_pid=$!
trap 'kill -TERM $run_pid 2>/dev/null; wait $run_pid 2>/dev/null' INT TERM EXIT

for _ in $(seq 1 180); do
  grep -q "Civil Affairs Platform is running" "$VAR/run.out" 2>/dev/null && break
  kill -0 $run_pid 2>/dev/null || { cat "$VAR/run.out" >&2; exit 1; }
  sleep 1
done
grep -q "Civil Affairs Platform is running" "$VAR/run.out" ||
  { echo "make demo: the platform did not start; see $VAR/run.out" >&2; exit 1; }

echo "make demo: building 枞阳县 2023-H1 at scale $SCALE through http://127.0.0.1:$GATEWAY_PORT" >&2
/usr/bin/python3 "$ROOT/tools/county_datagen.py" --gateway "http://127.0.0.1:$GATEWAY_PORT" \
  --scale "$SCALE" --civilctl "$BUILD/gateway/civilctl/civilctl" --key "$VAR/jwt/dev.key" \
  --expect "$VAR/expect.json" ${DEMO_FLAGS:-}

L=$("$BUILD/gateway/civilctl/civilctl" token --subject demo-leader --roles leadership \
  --region 340722 --key "$VAR/jwt/dev.key")
curl -sf -H "Authorization: Bearer $L" \
  "http://127.0.0.1:$GATEWAY_PORT/v1/reports/work-summary?period_start=2023-01-01&period_end=2023-06-30&format=md" |
  /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["document"])' |
  tee "$VAR/work-summary.md"

echo >&2
echo "make demo: the platform is still running (gateway http://127.0.0.1:$GATEWAY_PORT, state in $VAR); Ctrl-C stops it." >&2
wait $run_pid
