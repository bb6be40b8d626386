#!/usr/bin/env bash
# `make bench`, social assistance at county scale: the three heavy paths of the department, each
# measured in the same run as a baseline on the same database, interleaved (service first in odd
# rounds, baseline first in even ones), medians of RUNS rounds. Prints figures, targets and
# ratios; there is no pass/fail (the machine is shared and noisy: only ratios taken side by side
# mean much).
#
#   disbursement  RunDisbursement of one new month for county 340722, DIBAO then TEKUN (~100,000
#                 active enrolments at the defaults): payments/s. Baseline: the service's own
#                 SELECT run by psql as one plain INSERT … SELECT of the same rows into a scratch
#                 table without indexes, constraints or triggers (the database's raw insert rate;
#                 the service pays in chunks of 10,000 enrolments and keeps payment_totals).
#   summary       GetSummary over the generated payment window (~1,000,000 payments): p50 / p99
#                 of SUMMARY_CALLS calls. Baseline: the three statements of SummaryStore::Figures
#                 (over the roll-ups of migration 0005) run directly with libpqxx
#                 (assistance_bench_client summary-sql); for reference, the five statements it
#                 ran before them, over the rows themselves (summary-raw). After the rounds,
#                 summary-verify checks the service's figures against the rows' at the county,
#                 a township (the first of LIST_REGIONS) and one of its villages.
#   list          ListEnrolments of township prefixes (LIST_REGIONS), walking LIST_PAGES pages of
#                 PAGE_SIZE: p50 / p99 per page. Baseline: the same page query plus one query for
#                 the page's members, direct SQL.
#
# Data: assistance_datagen --households HOUSEHOLDS --payments-months PAYMENT_MONTHS into a private
# PostgreSQL (deploy/local/lib.sh, default settings), with its own Redis and assistance_server.
# Targets (issue 3): disbursement ≥ 50,000 payments/s, summary ≤ 200 ms, list: p99 reported.
# Knobs: RUNS=3 HOUSEHOLDS=100000 PAYMENT_MONTHS=10 FIRST_MONTH=2023-01 SUMMARY_CALLS=20
#        LIST_PAGES=20 PAGE_SIZE=50 LIST_REGIONS=340722100,340722108,340722203 SEED=1 EXPLAIN=1
# Output: build/bench/assistance.md (the table), assistance-raw.tsv, assistance-explain.txt
# (EXPLAIN ANALYZE of the statements behind each figure, EXPLAIN=0 skips it), assistance-datagen.log,
# assistance-server.log (the server's log: disbursement progress lines).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
export CIVIL_BENCH_LIB=${CIVIL_BENCH_LIB:-$ROOT/tests/bench}  # targets.py (run.sh's table)
RUNS=${RUNS:-3}
HOUSEHOLDS=${HOUSEHOLDS:-100000}
PAYMENT_MONTHS=${PAYMENT_MONTHS:-10}
FIRST_MONTH=${FIRST_MONTH:-2023-01}
SUMMARY_CALLS=${SUMMARY_CALLS:-20}
LIST_PAGES=${LIST_PAGES:-20}
PAGE_SIZE=${PAGE_SIZE:-50}
LIST_REGIONS=${LIST_REGIONS:-340722100,340722108,340722203}
SEED=${SEED:-1}
EXPLAIN=${EXPLAIN:-1}
COUNTY=340722
PROGRAMMES=(DIBAO TEKUN)
source "$ROOT/deploy/local/lib.sh"

DATAGEN=$BUILD/services/assistance/tools/assistance_datagen
CLIENT=$BUILD/tests/assistance_bench_client
SERVER=$BUILD/services/assistance/assistance_server
CIVILCTL=$BUILD/gateway/civilctl/civilctl
for bin in "$DATAGEN" "$CLIENT" "$SERVER" "$CIVILCTL"; do
  [[ -x $bin ]] || { echo "assistance bench: $bin is missing; build the tree first" >&2; exit 1; }
done

month_add() { date -u -d "$1-01 +$2 month" +%Y-%m; }  # month_add YYYY-MM N → YYYY-MM

WORK=$(mktemp -d /tmp/civil-abench-XXXXXX)
chmod 755 "$WORK"
OUT=$BUILD/bench
mkdir -p "$OUT"
PG_PORT=$(free_port); REDIS_PORT=$(free_port); A_GRPC=$(free_port); A_METRICS=$(free_port)
DSN="host=127.0.0.1 port=$PG_PORT user=civil dbname=civil_assistance"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pg_stop "$WORK"
  rm -rf "$WORK"
}
trap cleanup EXIT

pg_start "$WORK" "$PG_PORT"
pg_ensure_db "$PG_PORT" civil_assistance
redis_start "$WORK" "$REDIS_PORT"; pids+=("$REDIS_PID")
export CIVIL_PII_KEY
CIVIL_PII_KEY=$(openssl rand -hex 32)

echo "assistance bench: generating $HOUSEHOLDS households, $PAYMENT_MONTHS months of payments…"
gen_start=$(date +%s.%N)
"$DATAGEN" --dsn "$DSN" --households "$HOUSEHOLDS" --payments-months "$PAYMENT_MONTHS" \
  --first-month "$FIRST_MONTH" --seed "$SEED" 2>&1 | tee "$OUT/assistance-datagen.log" |
  grep --line-buffered '^datagen:'
gen_seconds=$(awk -v s="$gen_start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.0f", e-s}')

# The service verifies its callers: a development key pair, and the client's token from it.
"$CIVILCTL" dev-keys "$WORK/jwt" >/dev/null
export CIVIL_BENCH_TOKEN
CIVIL_BENCH_TOKEN=$("$CIVILCTL" token --subject bench --roles assistance.reviewer,auditor,assistance.clerk \
  --region '*' --ttl 86400 --key "$WORK/jwt/dev.key")
CIVIL_ASSISTANCE_ADDR=127.0.0.1:$A_GRPC CIVIL_ASSISTANCE_METRICS_ADDR=127.0.0.1:$A_METRICS \
CIVIL_ASSISTANCE_PG_DSN=$DSN CIVIL_REDIS_ADDR=127.0.0.1:$REDIS_PORT \
CIVIL_JWT_KEYS=$WORK/jwt/dev.pub CIVIL_JWT_ISSUER=civil-dev \
  "$SERVER" >"$WORK/log/assistance.log" 2>&1 &
pids+=($!)
wait_grpc_health "$CIVILCTL" "127.0.0.1:$A_GRPC" 60 ||
  { echo "assistance bench: the server did not become healthy" >&2; cat "$WORK/log/assistance.log" >&2; exit 1; }

q() { psql "$DSN" -XtAc "$1"; }
read -r n_households n_members n_enrolments n_payments < <(q "SELECT (SELECT count(*) FROM households), (SELECT count(*) FROM household_members), (SELECT count(*) FROM enrolments), (SELECT count(*) FROM payments)" | tr '|' ' ')
PERIOD_START=$FIRST_MONTH-01
PERIOD_END=$(date -u -d "$(month_add "$FIRST_MONTH" "$PAYMENT_MONTHS")-01 -1 day" +%F)
n_period=$(q "SELECT count(*) FROM payments WHERE month BETWEEN '$PERIOD_START' AND '$PERIOD_END'")
FIRST_UNPAID=$(month_add "$FIRST_MONTH" "$PAYMENT_MONTHS")
q "CREATE TABLE bench_payments (LIKE payments INCLUDING DEFAULTS)" >/dev/null

# The SELECT of DisbursementStore::Run (services/assistance/disbursement_store.cc) with its
# parameters written in, over all enrolments at once (the store runs it per chunk of enrolment
# ids); keep it in step with the store, and its session settings too.
DISBURSEMENT_SETTINGS="SET jit = off; SET work_mem = '64MB';"
disbursement_select() {  # disbursement_select PROGRAMME YYYY-MM
  cat <<SQL
SELECT '00000000-0000-4000-8000-000000000000'::uuid, e.enrolment_id, '$2-01'::date, e.programme,
  e.area, e.region_code, e.household_id, a.persons, a.amount_fen FROM enrolments e
JOIN (SELECT DISTINCT ON (enrolment_id) enrolment_id, amount_fen, persons FROM enrolment_amounts
  WHERE from_month <= '$2-01'::date ORDER BY enrolment_id, from_month DESC) a USING (enrolment_id)
WHERE e.programme = '$1' AND e.region_code LIKE '$COUNTY' || '%' AND e.start_month <= '$2-01'::date
  AND (e.end_month IS NULL OR e.end_month >= '$2-01'::date) AND a.amount_fen > 0
ORDER BY e.enrolment_id
SQL
}
COLUMNS="(batch_id, enrolment_id, month, programme, area, region_code, household_id, persons, amount_fen)"

: >"$WORK/raw.tsv"
record() { printf '%s\t%s\n' "$1" "$2" >>"$WORK/raw.tsv"; }  # record ROUND RESULT-LINE

summary_service() {
  record "$1" "$("$CLIENT" summary --addr "127.0.0.1:$A_GRPC" --start "$PERIOD_START" \
    --end "$PERIOD_END" --region "$COUNTY" --calls "$SUMMARY_CALLS")"
}
summary_sql() {
  record "$1" "$("$CLIENT" summary-sql --dsn "$DSN" --start "$PERIOD_START" --end "$PERIOD_END" \
    --region "$COUNTY" --calls "$SUMMARY_CALLS")"
}
summary_raw() {
  record "$1" "$("$CLIENT" summary-raw --dsn "$DSN" --start "$PERIOD_START" --end "$PERIOD_END" \
    --region "$COUNTY" --calls "$SUMMARY_CALLS")"
}
list_service() {
  record "$1" "$("$CLIENT" list --addr "127.0.0.1:$A_GRPC" --regions "$LIST_REGIONS" \
    --page-size "$PAGE_SIZE" --pages "$LIST_PAGES")"
}
list_sql() {
  record "$1" "$("$CLIENT" list-sql --dsn "$DSN" --regions "$LIST_REGIONS" \
    --page-size "$PAGE_SIZE" --pages "$LIST_PAGES")"
}
disburse_service() {  # disburse_service ROUND MONTH
  record "$1" "$("$CLIENT" disburse --addr "127.0.0.1:$A_GRPC" --month "$2" --region "$COUNTY" \
    --programmes "$(IFS=,; echo "${PROGRAMMES[*]}")")"
}
disburse_baseline() {  # disburse_baseline ROUND MONTH: plain INSERT … SELECT, timed by psql
  local sql="TRUNCATE bench_payments; $DISBURSEMENT_SETTINGS"$'\n'"\\timing on"$'\n' p
  for p in "${PROGRAMMES[@]}"; do
    sql+="INSERT INTO bench_payments $COLUMNS $(disbursement_select "$p" "$2");"$'\n'
  done
  psql "$DSN" -X -v ON_ERROR_STOP=1 <<<"$sql" >"$WORK/baseline.out"
  record "$1" "$(awk '/^INSERT 0/ {rows += $3} /^Time:/ {ms += $2}
    END {printf "disburse-sql\t%d\t0\t0\t%.4f", rows, ms / 1000}' "$WORK/baseline.out")"
}

echo "assistance bench: warm-up…"
"$CLIENT" summary --addr "127.0.0.1:$A_GRPC" --start "$PERIOD_START" --end "$PERIOD_END" \
  --region "$COUNTY" --calls 2 >/dev/null
"$CLIENT" summary-sql --dsn "$DSN" --start "$PERIOD_START" --end "$PERIOD_END" --region "$COUNTY" \
  --calls 2 >/dev/null
"$CLIENT" list --addr "127.0.0.1:$A_GRPC" --regions "$LIST_REGIONS" --pages 3 >/dev/null
"$CLIENT" list-sql --dsn "$DSN" --regions "$LIST_REGIONS" --pages 3 >/dev/null

# Reads first (the payment table stays the generated one), then the disbursement rounds, each
# paying the next unpaid month.
for run in $(seq 1 "$RUNS"); do
  echo "assistance bench: read round $run/$RUNS"
  if ((run % 2)); then
    summary_service "$run"; summary_sql "$run"; summary_raw "$run"; list_service "$run"
    list_sql "$run"
  else
    summary_raw "$run"; summary_sql "$run"; summary_service "$run"; list_sql "$run"
    list_service "$run"
  fi
done
for run in $(seq 1 "$RUNS"); do
  month=$(month_add "$FIRST_UNPAID" $((run - 1)))
  echo "assistance bench: disbursement round $run/$RUNS ($month)"
  if ((run % 2)); then
    disburse_service "$run" "$month"; disburse_baseline "$run" "$month"
  else
    disburse_baseline "$run" "$month"; disburse_service "$run" "$month"
  fi
done
# The service's figures against the rows' at three prefix lengths (county, township, village),
# over the generated months and those the rounds above paid (payment_totals fed by both).
TOWN=${LIST_REGIONS%%,*}
VILLAGE=$(q "SELECT min(region_code) FROM households WHERE region_code LIKE '$TOWN%'")
VERIFY_END=$(date -u -d "$(month_add "$FIRST_UNPAID" "$RUNS")-01 -1 day" +%F)
verify_notes=""
: >"$OUT/assistance-verify.log"
for prefix in "$COUNTY" "$TOWN" "$VILLAGE"; do
  line=$("$CLIENT" summary-verify --addr "127.0.0.1:$A_GRPC" --dsn "$DSN" --start "$PERIOD_START" \
    --end "$VERIFY_END" --region "$prefix" 2>>"$OUT/assistance-verify.log" || true)
  echo "assistance bench: ${line:-summary-verify $prefix failed}"
  verify_notes+="${line:-summary-verify $prefix failed}; "
done
verify_notes=${verify_notes//$'\t'/ }
cp "$WORK/raw.tsv" "$OUT/assistance-raw.tsv"

# Where the time goes: the statements behind each figure under EXPLAIN ANALYZE (the disbursement
# in a rolled-back transaction, for the month after the last one paid).
explain_notes=""
if [[ $EXPLAIN == 1 ]]; then
  echo "assistance bench: EXPLAIN ANALYZE…"
  month=$(month_add "$FIRST_UNPAID" "$RUNS")
  last_month=$(date -u -d "$PERIOD_END" +%Y-%m-01)
  town=${LIST_REGIONS%%,*}
  {
    echo "BEGIN;"
    echo "$DISBURSEMENT_SETTINGS"
    echo "INSERT INTO disbursement_batches (batch_id, programme, month, region_prefix, run_by) VALUES ('00000000-0000-4000-8000-000000000000', 'DIBAO', '$month-01', '$COUNTY', 'explain');"
    echo "EXPLAIN (ANALYZE, BUFFERS, WAL) INSERT INTO payments $COLUMNS $(disbursement_select DIBAO "$month") ON CONFLICT (enrolment_id, month) WHERE kind = 'REGULAR' DO NOTHING;"
    echo "ROLLBACK;"
    echo "RESET jit; RESET work_mem;"
    echo "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) SELECT programme, area, coalesce(sum(households) FILTER (WHERE month <= '$last_month'::date), 0)::bigint, coalesce(sum(persons) FILTER (WHERE month <= '$last_month'::date), 0)::bigint, coalesce(sum(enrolments_started) FILTER (WHERE month >= '$PERIOD_START'::date), 0)::bigint FROM caseload_changes WHERE region_code LIKE '$COUNTY' || '%' AND month <= '$last_month'::date GROUP BY 1, 2;"
    echo "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) SELECT programme, area, sum(amount_fen)::bigint FROM payment_totals WHERE region_code LIKE '$COUNTY' || '%' AND month BETWEEN '$PERIOD_START'::date AND '$last_month'::date GROUP BY 1, 2 HAVING sum(payments) > 0;"
    echo "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) SELECT e.programme, e.area, m.exit_reason, count(DISTINCT e.household_id), count(DISTINCT m.id_index), grouping(m.exit_reason) FROM enrolments e JOIN enrolment_members m USING (enrolment_id) WHERE e.region_code LIKE '$COUNTY' || '%' AND m.exited_on BETWEEN '$PERIOD_START'::date AND '$PERIOD_END'::date GROUP BY GROUPING SETS ((1, 2), (1, 2, 3)) ORDER BY 6 DESC, 3;"
    echo "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) SELECT e.enrolment_id::text, e.programme, e.area, e.household_id::text, e.region_code, e.status, e.start_month::text, e.end_month::text, e.care_mode, e.review_due::text, e.exit_reason, coalesce(e.application_id::text, ''), e.seq, (SELECT amount_fen FROM enrolment_amounts x WHERE x.enrolment_id = e.enrolment_id ORDER BY from_month DESC LIMIT 1) FROM enrolments e WHERE e.region_code LIKE '$town' || '%' AND e.seq > 0 ORDER BY e.seq LIMIT $((PAGE_SIZE + 1));"
  } | psql "$DSN" -X -v ON_ERROR_STOP=1 >"$OUT/assistance-explain.txt" 2>&1 || true
  explain_notes=$(awk -v town="$town" '
    BEGIN {
      split("disbursement INSERT … SELECT (DIBAO, one month, as one statement)|" \
            "summary: caseload_changes (active households and persons, new enrolments)|" \
            "summary: payment_totals (money paid)|summary: exits, in all and by reason|" \
            "list: first page of " town, names, "|")
    }
    /^ *Trigger / {sub(/^ +/, ""); extra = extra "\n  " $0}
    /^ +Timing: Generation/ {sub(/^ +/, ""); extra = extra "\n  JIT " $0}
    /Execution Time/ {n++; print names[n] ": " $3 " ms" extra; extra = ""}' \
    "$OUT/assistance-explain.txt")
fi

cp "$WORK/log/assistance.log" "$OUT/assistance-server.log"
progress_lines=$(grep -c '"disbursement progress"' "$OUT/assistance-server.log" || true)
python3 - "$WORK/raw.tsv" "$RUNS" "$HOUSEHOLDS" "$n_households" "$n_members" "$n_enrolments" \
  "$n_payments" "$n_period" "$PERIOD_START" "$PERIOD_END" "$gen_seconds" "$SUMMARY_CALLS" \
  "$LIST_REGIONS" "$LIST_PAGES" "$PAGE_SIZE" "$explain_notes" "$verify_notes" \
  "$progress_lines" <<'PY' | tee "$OUT/assistance.md"
import os, statistics, sys
sys.path.insert(0, os.environ.get("CIVIL_BENCH_LIB", "tests/bench"))
import targets
(raw, runs, _, households, members, enrolments, payments, period_payments, start, end, gen_s,
 calls, regions, pages, page_size, notes, verified, progress_lines) = sys.argv[1:]
by = {}
for line in open(raw):
    if not line.strip():
        continue
    _, name, *fields = line.rstrip("\n").split("\t")
    by.setdefault(name, []).append([float(f) for f in fields])

def med(name, i):
    return statistics.median(r[i] for r in by[name]) if name in by else float("nan")

def rng(name, i, fmt):
    if name not in by:
        return ""
    vals = [r[i] for r in by[name]]
    return f"{fmt(min(vals))}–{fmt(max(vals))}"

rate = lambda name: [r[0] / r[3] if r[3] else 0.0 for r in by.get(name, [])]
d_svc, d_sql = rate("disburse"), rate("disburse-sql")
d_svc_m = statistics.median(d_svc) if d_svc else float("nan")
d_sql_m = statistics.median(d_sql) if d_sql else float("nan")
d_rows = int(med("disburse", 0)) if "disburse" in by else 0
k = lambda v: f"{v:,.0f}"
ms = lambda v: f"{v:.1f}"

print(f"\n## make bench — social assistance at county scale: medians of {runs} interleaved rounds\n")
print(f"Data: {int(households):,} households, {int(members):,} members, {int(enrolments):,} "
      f"enrolments, {int(payments):,} payments ({int(period_payments):,} in {start}..{end}); "
      f"generated in {gen_s} s by assistance_datagen.\n")
print("| scenario | figure | service | (min–max) | baseline | (min–max) | service ÷ baseline | target |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
print(f"| disbursement, one month, {d_rows:,} payments (DIBAO + TEKUN) | payments/s | {k(d_svc_m)} | "
      f"{k(min(d_svc)) if d_svc else ''}–{k(max(d_svc)) if d_svc else ''} | {k(d_sql_m)} | "
      f"{k(min(d_sql)) if d_sql else ''}–{k(max(d_sql)) if d_sql else ''} | "
      f"{d_svc_m / d_sql_m:.2f} | ≥ 50,000/s |")
print(f"| disbursement | seconds | {med('disburse', 3):.2f} | {rng('disburse', 3, lambda v: f'{v:.2f}')} | "
      f"{med('disburse-sql', 3):.2f} | {rng('disburse-sql', 3, lambda v: f'{v:.2f}')} | "
      f"{med('disburse', 3) / med('disburse-sql', 3):.2f} | |")
for i, label, target in [(1, "p50 ms", "≤ 200 ms"), (2, "p99 ms", "")]:
    print(f"| summary over {int(period_payments):,} payments ({calls} calls/round) | {label} | "
          f"{ms(med('summary', i))} | {rng('summary', i, ms)} | {ms(med('summary-sql', i))} | "
          f"{rng('summary-sql', i, ms)} | {med('summary', i) / med('summary-sql', i):.2f} | {target} |")
for i, label in [(1, "p50 ms"), (2, "p99 ms")]:
    print(f"| summary, for reference: the pre-roll-up statements over the rows | {label} | "
          f"{ms(med('summary', i))} | {rng('summary', i, ms)} | {ms(med('summary-raw', i))} | "
          f"{rng('summary-raw', i, ms)} | {med('summary', i) / med('summary-raw', i):.2f} | |")
for i, label in [(1, "p50 ms"), (2, "p99 ms")]:
    print(f"| list enrolments, {len(regions.split(','))} townships × ≤ {pages} pages of {page_size} "
          f"| {label} | {ms(med('list', i))} | {rng('list', i, ms)} | {ms(med('list-sql', i))} | "
          f"{rng('list-sql', i, ms)} | {med('list', i) / med('list-sql', i):.2f} | p99 reported |")
targets.record("assistance.disbursement_ratio", d_svc_m / d_sql_m)
targets.record("assistance.summary_p50_ms", med("summary", 1))
print("\nBaselines: disbursement — the service's SELECT as one plain INSERT … SELECT into a "
      "scratch table without indexes, constraints or triggers (psql \\timing); summary — "
      "SummaryStore's three statements over libpqxx (and, for reference, the five it ran over the "
      "rows before migration 0005); list — the same page query plus one members query per page. "
      "Throughput ratio < 1 and latency ratio > 1 mean the service is slower than its baseline.")
print(f"\nSummary figures ({start}..the last month paid) against the rows: {verified.strip()} "
      f"(differences in build/bench/assistance-verify.log). Disbursement progress lines logged "
      f"by the server: {progress_lines}.")
if notes.strip():
    print("\nEXPLAIN ANALYZE (build/bench/assistance-explain.txt):\n")
    print("```")
    print(notes)
    print("```")
PY
echo "(results in $OUT/assistance.md)"
