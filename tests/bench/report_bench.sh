#!/usr/bin/env bash
# `make bench`, the work summary (工作总结) on the generated county: the platform as `make demo`
# starts it (every department, the report service and the gateway on a private PostgreSQL and
# Redis in a temporary directory, service ports shifted by PORT_OFFSET so a running `make run`
# is not disturbed), 枞阳县's 2023-H1 built through the API by tools/county_datagen.py at SCALE,
# then ROUNDS interleaved rounds of:
#
#   report_json    GetWorkSummary 2023-01-01 … 2023-06-30, format=json, straight to the report
#                  service (gRPC)
#   report_md      the same, format=md (the document rendered)
#   six_summaries  the baseline: the six departments' GetSummary for the same period, called
#                  directly and concurrently, as the report calls them
#   http_md        GET /v1/reports/work-summary?…&format=md through the gateway (curl)
#
# Prints p50 / p99 of each, the report's own overhead (report ÷ six_summaries, p50) and the
# targets of issue 16 (p50 ≤ 200 ms, p99 ≤ 500 ms for the half year). A call that failed is
# counted and reported, never timed as a success. No pass/fail: the machine is shared and noisy.
#
# Knobs: SCALE=1.0 (the seed's county) ROUNDS=100 PORT_OFFSET=1000 DATAGEN_TIMEOUT=3600 (s)
# Output: build/bench/report.md (the table), report-raw.tsv, report-datagen.log
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
export CIVIL_BENCH_LIB=${CIVIL_BENCH_LIB:-$ROOT/tests/bench}  # targets.py (run.sh's table)
SCALE=${SCALE:-1.0}
ROUNDS=${ROUNDS:-100}
PORT_OFFSET=${PORT_OFFSET:-1000}
DATAGEN_TIMEOUT=${DATAGEN_TIMEOUT:-3600}
CLIENT=$BUILD/tests/report_bench_client
CIVILCTL=$BUILD/gateway/civilctl/civilctl
for bin in "$CLIENT" "$CIVILCTL" "$BUILD/services/report/report_server"; do
  [[ -x $bin ]] || { echo "report bench: $bin is missing; build the tree first" >&2; exit 1; }
done
source "$ROOT/deploy/local/lib.sh"  # free_port

WORK=$(mktemp -d /tmp/civil-report-bench-XXXXXX)
chmod 755 "$WORK"
OUT=$BUILD/bench
mkdir -p "$OUT"
export CIVIL_VAR=$WORK/var DEMO_SCALE=$SCALE CIVIL_PORT_OFFSET=$PORT_OFFSET
export CIVIL_PG_PORT=$(free_port) CIVIL_REDIS_PORT=$(free_port)
export CIVIL_GATEWAY_PORT=$(free_port) CIVIL_GATEWAY_METRICS_PORT=$(free_port)
demo_pid=
cleanup() {
  if [[ -n $demo_pid ]]; then
    kill -TERM "$demo_pid" 2>/dev/null || true
    wait "$demo_pid" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "report bench: building the county at scale $SCALE (tools/county_datagen.py; log in $OUT/report-datagen.log)" >&2
BUILD=$BUILD "$ROOT/deploy/local/demo.sh" >"$WORK/demo.out" 2>"$OUT/report-datagen.log" &
demo_pid=$!
for ((i = 0; i < DATAGEN_TIMEOUT; i++)); do
  grep -q "the platform is still running" "$OUT/report-datagen.log" && break
  kill -0 "$demo_pid" 2>/dev/null || { tail -30 "$OUT/report-datagen.log" >&2; exit 1; }
  sleep 1
done
grep -q "the platform is still running" "$OUT/report-datagen.log" ||
  { echo "report bench: the county was not built in ${DATAGEN_TIMEOUT}s" >&2; exit 1; }
grep -E "^done:" "$OUT/report-datagen.log" >&2 || true

port() { echo $(($1 + PORT_OFFSET)); }
T=$("$CIVILCTL" token --subject bench-auditor --roles auditor --region 340722 \
  --key "$CIVIL_VAR/jwt/dev.key")
PERIOD_START=2023-01-01 PERIOD_END=2023-06-30
echo "report bench: $ROUNDS rounds" >&2
CIVIL_BENCH_TOKEN=$T "$CLIENT" "127.0.0.1:$(port 50057)" "127.0.0.1:$(port 50051)" \
  "127.0.0.1:$(port 50052)" "127.0.0.1:$(port 50053)" "127.0.0.1:$(port 50054)" \
  "127.0.0.1:$(port 50055)" "127.0.0.1:$(port 50056)" "$ROUNDS" "$PERIOD_START" "$PERIOD_END" \
  >"$OUT/report-raw.tsv"
URL="http://127.0.0.1:$CIVIL_GATEWAY_PORT/v1/reports/work-summary?period_start=$PERIOD_START&period_end=$PERIOD_END&format=md"
for ((r = 0; r < ROUNDS; r++)); do
  curl -s -o /dev/null -H "Authorization: Bearer $T" -w "http_md\t$r\t%{time_total}\t%{http_code}\n" "$URL"
done | awk -F'\t' '{ printf "%s\t%s\t%d\t%s\n", $1, $2, $3 * 1000000, ($4 == 200 ? 0 : $4) }' \
  >>"$OUT/report-raw.tsv"

python3 - "$OUT/report-raw.tsv" "$SCALE" "$ROUNDS" <<'PY' | tee "$OUT/report.md"
import os, sys
sys.path.insert(0, os.environ.get("CIVIL_BENCH_LIB", "tests/bench"))
import targets
path, scale, rounds = sys.argv[1], sys.argv[2], sys.argv[3]
rows = {}
failed = {}
for line in open(path):
    what, _, micros, code = line.rstrip("\n").split("\t")
    if code != "0":
        failed[what] = failed.get(what, 0) + 1
        continue
    rows.setdefault(what, []).append(int(micros))
def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, max(0, -(-len(v) * p // 100) - 1))]  # nearest rank
print(f"\n## make bench — the work summary, 2023-H1 of the county generated at scale {scale}, {rounds} rounds\n")
print("| call | OK | failed | p50 ms | p99 ms |")
print("|---|---:|---:|---:|---:|")
for what in ["six_summaries", "report_json", "report_md", "http_md"]:
    v = rows.get(what, [])
    if v:
        print(f"| {what} | {len(v)} | {failed.get(what, 0)} | {pct(v, 50) / 1000:.1f} | {pct(v, 99) / 1000:.1f} |")
    else:
        print(f"| {what} | 0 | {failed.get(what, 0)} | - | - |")
def ratio(a, b):
    return pct(rows[a], 50) / pct(rows[b], 50) if rows.get(a) and rows.get(b) else float("nan")
print("\n| measure | value | target |")
print("|---|---:|---:|")
for what in ["report_md", "http_md"]:
    if rows.get(what):
        print(f"| {what} p50 | {pct(rows[what], 50) / 1000:.1f} ms | ≤ 200 ms |")
        print(f"| {what} p99 | {pct(rows[what], 99) / 1000:.1f} ms | ≤ 500 ms |")
if rows.get("report_md"):
    targets.record("report.p50_ms", pct(rows["report_md"], 50) / 1000)
    targets.record("report.p99_ms", pct(rows["report_md"], 99) / 1000)
print(f"| report_md ÷ six_summaries (p50: the report's own overhead) | {ratio('report_md', 'six_summaries'):.2f} | reported |")
if failed:
    print(f"\nfailed calls: {failed} (see report-raw.tsv: the fourth column is the gRPC code or HTTP status)")
PY
echo "(results in $OUT/report.md)"
