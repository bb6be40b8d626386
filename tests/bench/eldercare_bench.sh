#!/usr/bin/env bash
# `make bench`, elderly care (issue 11): the monthly 高龄津贴 run for PERSONS enrolled persons,
# against a bare INSERT … SELECT of the same rows in the same run. On a private PostgreSQL and
# Redis in a temporary directory, free loopback ports, eldercare_server behind the gateway:
#
#   enrol      PERSONS persons enrolled through the gateway the way a clerk and a reviewer do
#              (POST /v1/eldercare/allowance-enrolments, then …:approve by another person),
#              ENROL_WORKERS at a time; born 1934–1942 (the 80–89 tier) with one in eight born
#              1924–1932 (90–99), in every village of the county. Not timed as a target.
#   run        POST /v1/eldercare/allowance-payment-runs {"month"} of a new month, RUNS rounds
#              (month after month from FIRST_MONTH): the service reads the enrolments due, prices
#              each person's tier by age (allowance.h), and writes the payments in batches with
#              the kit's MonthlyRunner (exactly once per person and month). payments/s from the
#              request to its answer; every answer must say paid = PERSONS, or the round is
#              reported failed, never timed.
#   baseline   the same rows as one plain INSERT … SELECT into a scratch table of the same
#              columns without indexes, constraints or triggers, in the same database, timed by
#              psql: the SELECT reads the persons due as the service does and prices their tier
#              in SQL. Rounds interleave: the service first in odd rounds, the baseline first in
#              even ones. Medians of RUNS. For reference, a plain copy of the rows the first run
#              wrote (no SELECT work) is timed too.
#
# Target (issue 11): run ÷ baseline ≥ 0.5. No pass/fail: the machine is shared and noisy; the
# ratio goes to make bench's table of targets.
# Knobs: PERSONS=30000 RUNS=3 ENROL_WORKERS=4 FIRST_MONTH=2023-02. Output: build/bench/eldercare.md,
# eldercare-server.log (the run's progress lines).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
export CIVIL_BENCH_LIB=${CIVIL_BENCH_LIB:-$ROOT/tests/bench}  # targets.py (run.sh's table)
PERSONS=${PERSONS:-30000}
RUNS=${RUNS:-3}
ENROL_WORKERS=${ENROL_WORKERS:-4}
FIRST_MONTH=${FIRST_MONTH:-2023-02}
source "$ROOT/deploy/local/lib.sh"

SERVER=$BUILD/services/eldercare/eldercare_server
GATEWAY=$BUILD/gateway/gateway
CIVILCTL=$BUILD/gateway/civilctl/civilctl
for bin in "$SERVER" "$GATEWAY" "$CIVILCTL"; do
  [[ -x $bin ]] || { echo "eldercare bench: $bin is missing; build the tree first" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/civil-ebench-XXXXXX)
chmod 755 "$WORK"
OUT=$BUILD/bench
mkdir -p "$OUT" "$WORK/log"
PG_PORT=$(free_port); REDIS_PORT=$(free_port); GRPC=$(free_port); METRICS=$(free_port)
HTTP=$(free_port); GW_METRICS=$(free_port)
DSN="host=127.0.0.1 port=$PG_PORT user=civil dbname=civil_eldercare"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pg_stop "$WORK"
  cp "$WORK/log/eldercare.log" "$OUT/eldercare-server.log" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

pg_start "$WORK" "$PG_PORT"
pg_ensure_db "$PG_PORT" civil_eldercare
redis_start "$WORK" "$REDIS_PORT"; pids+=("$REDIS_PID")
"$CIVILCTL" dev-keys "$WORK/jwt" >/dev/null
token() {
  "$CIVILCTL" token --subject "$1" --roles "$2" --region 340722 --ttl 86400 --key "$WORK/jwt/dev.key"
}
CLERK=$(token bench-clerk eldercare.clerk)
REVIEWER=$(token bench-reviewer eldercare.reviewer)
export CLERK REVIEWER
# Assistance is not started: the county's default schedule pays 80–89 to everyone, so no
# enrolment asks it (CheckEnrolment is asked only where a tier is for low-income households).
CIVIL_ELDERCARE_ADDR=127.0.0.1:$GRPC CIVIL_ELDERCARE_METRICS_ADDR=127.0.0.1:$METRICS \
CIVIL_ELDERCARE_PG_DSN=$DSN CIVIL_REDIS_ADDR=127.0.0.1:$REDIS_PORT \
CIVIL_ASSISTANCE_ADDR=127.0.0.1:$(free_port) \
CIVIL_PII_KEY=$(openssl rand -hex 32) CIVIL_JWT_KEYS=$WORK/jwt/dev.pub CIVIL_JWT_ISSUER=civil-dev \
  "$SERVER" >"$WORK/log/eldercare.log" 2>&1 &
pids+=($!)
CIVIL_ELDERCARE_ADDR=127.0.0.1:$GRPC "$GATEWAY" --descriptor-set "$BUILD/civil.desc" \
  --listen "127.0.0.1:$HTTP" --metrics-listen "127.0.0.1:$GW_METRICS" \
  --jwt-keys "$WORK/jwt/dev.pub" --jwt-issuer civil-dev --jwt-audience civil-api \
  --rate-limit off >"$WORK/log/gateway.log" 2>&1 &
pids+=($!)
wait_grpc_health "$CIVILCTL" "127.0.0.1:$GRPC" 60 ||
  { echo "eldercare bench: the server did not become healthy" >&2; cat "$WORK/log/eldercare.log" >&2; exit 1; }
wait_http "http://127.0.0.1:$HTTP/healthz" 60

q() { psql "$DSN" -XtAc "$1"; }
month_add() { date -u -d "$1-01 +$2 month" +%Y-%m; }  # month_add YYYY-MM N → YYYY-MM

echo "eldercare bench: enrolling $PERSONS persons through the gateway, $ENROL_WORKERS at a time…" >&2
python3 - "$HTTP" "$PERSONS" "$ENROL_WORKERS" "$ROOT" <<'PY'
import datetime as dt, http.client, json, os, sys, threading, time
from concurrent.futures import ThreadPoolExecutor
port, persons, workers, root = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
sys.path.insert(0, os.path.join(root, "tools"))
from county_datagen import People, VILLAGES  # distinct GB 11643 ID numbers, the county's villages

local = threading.local()
def call(token, path, body):
    c = getattr(local, "c", None)
    if c is None:
        c = local.c = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    c.request("POST", path, body=json.dumps(body, ensure_ascii=False).encode(),
              headers={"Authorization": "Bearer " + os.environ[token],
                       "Content-Type": "application/json"})
    r = c.getresponse()
    text = r.read().decode()
    if r.status != 200:
        raise RuntimeError(f"POST {path}: {r.status} {text[:300]}")
    return json.loads(text)

people = People()
def enrol(k):
    first, last = ((dt.date(1924, 1, 1), dt.date(1932, 6, 30)) if k % 8 == 3
                   else (dt.date(1934, 1, 1), dt.date(1942, 6, 30)))
    idn, _ = people.person(first, last)
    on = f"2023-01-{2 + k % 20:02d}"
    e = call("CLERK", "/v1/eldercare/allowance-enrolments",
             {"name": f"老人{k}", "idNumber": idn, "regionCode": VILLAGES[k % len(VILLAGES)],
              "applicationDate": on})["enrolment"]
    call("REVIEWER", f"/v1/eldercare/allowance-enrolments/{e['enrolmentId']}:approve",
         {"decisionDate": on})

t0 = time.monotonic()
with ThreadPoolExecutor(workers) as pool:
    list(pool.map(enrol, range(persons)))
s = time.monotonic() - t0
print(f"eldercare bench: enrolled {persons} in {s:.1f} s ({persons / s:.0f}/s, two requests each)",
      file=sys.stderr)
PY
active=$(q "SELECT count(*) FROM allowance_enrolments WHERE status = 'ACTIVE'")
[[ $active == "$PERSONS" ]] || { echo "eldercare bench: $active of $PERSONS enrolments active" >&2; exit 1; }

run_service() {  # run_service ROUND MONTH → "run ROUND paid seconds"
  local body t0 t1 paid
  t0=$(date +%s.%N)
  body=$(curl -sS -X POST "http://127.0.0.1:$HTTP/v1/eldercare/allowance-payment-runs" \
    -H "Authorization: Bearer $REVIEWER" -H 'Content-Type: application/json' \
    -d "{\"month\":\"$2\"}")
  t1=$(date +%s.%N)
  paid=$(python3 -c 'import json,sys; print(int(json.loads(sys.argv[1]).get("paid", 0) or 0))' "$body" 2>/dev/null || echo 0)
  [[ $paid == "$PERSONS" ]] || echo "eldercare bench: round $1 ($2) answered $body" >&2
  echo "run $1 $paid $(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", b-a}')" >>"$WORK/raw.txt"
}
# The baseline's SELECT: the persons allowance_due reads (services/eldercare/allowance_store.cc),
# priced in SQL by the county's tier schedule in force (age on the last day of the month before,
# as allowance.h's TierFor), inserted as plain rows. Keep it in step with the store.
baseline_sql() {  # baseline_sql YYYY-MM
  cat <<SQL
INSERT INTO bench_payments SELECT e.enrolment_id, '$1-01'::date,
  t.min_age || '-' || coalesce(t.max_age::text, ''), t.monthly_fen, e.region_code,
  '00000000-0000-4000-8000-000000000000'::uuid
FROM allowance_enrolments e JOIN allowance_tiers t ON t.region_prefix = '340722'
  AND t.effective_month = (SELECT max(effective_month) FROM allowance_tiers
                           WHERE region_prefix = '340722' AND effective_month <= '$1-01'::date)
  AND extract(year FROM age('$1-01'::date - 1, e.birth_date)) BETWEEN t.min_age AND coalesce(t.max_age, 999)
WHERE e.status IN ('ACTIVE', 'STOPPED') AND e.approved_on IS NOT NULL AND e.start_month <= '$1-01'::date
  AND (e.end_month IS NULL OR e.end_month > '$1-01'::date) AND e.region_code LIKE '340722%'
ORDER BY e.seq;
SQL
}
timed() {  # timed SQL → seconds psql took for the last statement
  psql "$DSN" -X -v ON_ERROR_STOP=1 <<SQL | awk '/^Time:/ {print $2}' | tail -1 | awk '{printf "%.4f", $1/1000}'
\timing on
$1
SQL
}
run_baseline() {  # run_baseline ROUND MONTH → "base ROUND rows seconds", "copy ROUND rows seconds"
  local secs
  q "SET client_min_messages = warning; DROP TABLE IF EXISTS bench_payments; CREATE TABLE bench_payments (enrolment_id uuid, month date, tier text, amount_fen bigint, region_code text, run_id uuid)" >/dev/null
  secs=$(timed "$(baseline_sql "$2")")
  echo "base $1 $(q "SELECT count(*) FROM bench_payments") $secs" >>"$WORK/raw.txt"
  # For reference: a copy of rows the service wrote (no SELECT work at all).
  q "TRUNCATE bench_payments" >/dev/null
  secs=$(timed "INSERT INTO bench_payments SELECT enrolment_id, month, tier, amount_fen, region_code, run_id FROM allowance_payments WHERE month = '$FIRST_MONTH-01';")
  echo "copy $1 $(q "SELECT count(*) FROM bench_payments") $secs" >>"$WORK/raw.txt"
}

: >"$WORK/raw.txt"
# Round 1's service run writes the rows the reference copy copies, so it goes first.
for ((r = 1; r <= RUNS; r++)); do
  month=$(month_add "$FIRST_MONTH" $((r - 1)))
  if ((r % 2 == 1)); then run_service "$r" "$month"; run_baseline "$r" "$month"
  else run_baseline "$r" "$month"; run_service "$r" "$month"; fi
  echo "eldercare bench: round $r of $RUNS ($month) done" >&2
done
paid_rows=$(q "SELECT count(*) FROM allowance_payments")
runs=$(q "SELECT count(*) FROM allowance_runs")

python3 - "$WORK/raw.txt" "$PERSONS" "$paid_rows" "$runs" <<'PY' | tee "$OUT/eldercare.md"
import os, statistics, sys
sys.path.insert(0, os.environ["CIVIL_BENCH_LIB"])
import targets
path, persons, paid_rows, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
service, base, copy, failed = [], [], [], []
for line in open(path):
    kind, rnd, rows, secs = line.split()
    rows, secs = int(rows), float(secs)
    if rows != persons:
        failed.append(f"{kind} round {rnd}: {rows} rows of {persons}")
    elif secs > 0:
        {"run": service, "base": base, "copy": copy}[kind].append(rows / secs)
print(f"\n## make bench — eldercare: the monthly 高龄津贴 run for {persons:,} persons\n")
print("| measure | value | baseline | ratio | target |")
print("|---|---:|---:|---:|---:|")
if service and base:
    s, b = statistics.median(service), statistics.median(base)
    print(f"| monthly run through the gateway, payments/s (median of {len(service)}; baseline: "
          f"bare INSERT … SELECT of the same rows, median of {len(base)}) | {s:,.0f} | {b:,.0f} | "
          f"{s / b:.2f} | ≥ 0.50 |")
    print(f"| run seconds for {persons:,} payments | {persons / s:.2f} | {persons / b:.2f} | | |")
    if copy:
        c = statistics.median(copy)
        print(f"| for reference: a plain copy of the rows the run wrote, rows/s | {c:,.0f} | | "
              f"{s / c:.2f} | |")
    if not failed:
        targets.record("eldercare.allowance_run_ratio", s / b)
print(f"| payments stored / runs recorded | {paid_rows:,} / {runs} | | | |")
if failed:
    print("\nFAILED: " + "; ".join(failed))
PY
echo "(results in $OUT/eldercare.md)"
