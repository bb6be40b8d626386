#!/usr/bin/env bash
# `make bench`, grassroots governance (issue 13): RECORDS residents' records imported as CSV
# through the gateway into governance_server, against PostgreSQL COPY of the same file in the same
# run, then the reviewers' worklist over that volume. On a private PostgreSQL and Redis in a
# temporary directory, free loopback ports:
#
#   import     POST /v1/governance/resident-records:importCsv, the file sent in parts of PART_ROWS
#              records (each with the header and its rowOffset, under the gateway's 1 MiB body),
#              CONCURRENCY parts at a time (a clerk's browser sends one at a time; the county's
#              import tool may send a few): records/s from the first request to the last answer.
#              Every part's answer is checked: created must add up to RECORDS, nothing rejected;
#              a failed part is reported, never timed as a success.
#   copy       the baseline: psql \copy of the same CSV file into a table of its six text columns
#              (no encryption, no index, no checks) in a scratch database of the same server.
#   rss        peak resident memory (VmHWM) of governance_server and of the gateway after the
#              import.
#   worklist   GET /v1/governance/resident-records?status=RECORD_STATUS_SUBMITTED&pageSize=50,
#              following nextPageToken, on one keep-alive connection: PAGES pages of one grid,
#              PAGES of a township (grid by grid) and PAGES of the county; p50 / p99 per page.
#
# Targets (issue 13): import ÷ COPY ≥ 0.3; peak RSS ≤ 200 MB each; worklist p99 ≤ 50 ms.
# No pass/fail: the machine is shared and noisy; the figures go to make bench's table of targets.
# Knobs: RECORDS=400000 PART_ROWS=4000 CONCURRENCY=2 PAGES=200. Output: build/bench/governance.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
export CIVIL_BENCH_LIB=${CIVIL_BENCH_LIB:-$ROOT/tests/bench}  # targets.py (run.sh's table)
RECORDS=${RECORDS:-400000}
PART_ROWS=${PART_ROWS:-4000}
CONCURRENCY=${CONCURRENCY:-2}
PAGES=${PAGES:-200}
source "$ROOT/deploy/local/lib.sh"

SERVER=$BUILD/services/governance/governance_server
GATEWAY=$BUILD/gateway/gateway
CIVILCTL=$BUILD/gateway/civilctl/civilctl
for bin in "$SERVER" "$GATEWAY" "$CIVILCTL"; do
  [[ -x $bin ]] || { echo "governance bench: $bin is missing; build the tree first" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/civil-gbench-XXXXXX)
chmod 755 "$WORK"
OUT=$BUILD/bench
mkdir -p "$OUT" "$WORK/log"
PG_PORT=$(free_port); REDIS_PORT=$(free_port); GRPC=$(free_port); METRICS=$(free_port)
HTTP=$(free_port); GW_METRICS=$(free_port)
DSN="host=127.0.0.1 port=$PG_PORT user=civil dbname=civil_governance"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pg_stop "$WORK"
  [[ -n ${KEEP_WORK:-} ]] && cp "$WORK/api.tsv" "$OUT/governance-pages.tsv" 2>/dev/null; rm -rf "$WORK"
}
trap cleanup EXIT

pg_start "$WORK" "$PG_PORT"
pg_ensure_db "$PG_PORT" civil_governance
pg_ensure_db "$PG_PORT" governance_copy
redis_start "$WORK" "$REDIS_PORT"; pids+=("$REDIS_PID")
"$CIVILCTL" dev-keys "$WORK/jwt" >/dev/null
token() {
  "$CIVILCTL" token --subject "$1" --roles "$2" --region 340722 --ttl 86400 --key "$WORK/jwt/dev.key"
}
CLERK=$(token bench-clerk governance.clerk)
REVIEWER=$(token bench-reviewer governance.reviewer)
export CLERK REVIEWER
CIVIL_GOVERNANCE_ADDR=127.0.0.1:$GRPC CIVIL_GOVERNANCE_METRICS_ADDR=127.0.0.1:$METRICS \
CIVIL_GOVERNANCE_PG_DSN=$DSN CIVIL_REDIS_ADDR=127.0.0.1:$REDIS_PORT \
CIVIL_PII_KEY=$(openssl rand -hex 32) CIVIL_JWT_KEYS=$WORK/jwt/dev.pub CIVIL_JWT_ISSUER=civil-dev \
  "$SERVER" >"$WORK/log/governance.log" 2>&1 &
SERVER_PID=$!
pids+=($SERVER_PID)
CIVIL_GOVERNANCE_ADDR=127.0.0.1:$GRPC "$GATEWAY" --descriptor-set "$BUILD/civil.desc" \
  --listen "127.0.0.1:$HTTP" --metrics-listen "127.0.0.1:$GW_METRICS" \
  --jwt-keys "$WORK/jwt/dev.pub" --jwt-issuer civil-dev --jwt-audience civil-api \
  --rate-limit off >"$WORK/log/gateway.log" 2>&1 &
GATEWAY_PID=$!
pids+=($GATEWAY_PID)
wait_grpc_health "$CIVILCTL" "127.0.0.1:$GRPC" 60 ||
  { echo "governance bench: the server did not become healthy" >&2; cat "$WORK/log/governance.log" >&2; exit 1; }
wait_http "http://127.0.0.1:$HTTP/healthz" 60

echo "governance bench: $RECORDS records through the gateway, parts of $PART_ROWS, $CONCURRENCY at a time…" >&2
python3 - "$HTTP" "$RECORDS" "$PART_ROWS" "$CONCURRENCY" "$PAGES" "$WORK" "$ROOT" <<'PY' >"$WORK/api.tsv"
import http.client, json, os, sys, threading, time
from concurrent.futures import ThreadPoolExecutor
port, records, part_rows, concurrency, pages, work, root = sys.argv[1:]
records, part_rows, concurrency, pages = int(records), int(part_rows), int(concurrency), int(pages)
sys.path.insert(0, os.path.join(root, "tools"))
from county_datagen import People  # distinct GB 11643 ID numbers
import datetime as dt

local = threading.local()
def call(token, method, path, body=None):
    c = getattr(local, "c", None)
    if c is None:
        c = local.c = http.client.HTTPConnection("127.0.0.1", int(port), timeout=300)
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    headers = {"Authorization": "Bearer " + os.environ[token]}
    if data is not None:
        headers["Content-Type"] = "application/json"
    c.request(method, path, body=data, headers=headers)
    r = c.getresponse()
    text = r.read().decode()
    if r.status != 200:
        raise RuntimeError(f"{method} {path}: {r.status} {text[:300]}")
    return json.loads(text)

# One grid in every seeded village and community.
towns = [t["code"] for t in call("CLERK", "GET", "/v1/governance/regions?parentCode=340722&pageSize=500")["regions"]]
villages = []
for t in towns:
    villages += [v["code"] for v in call("CLERK", "GET", f"/v1/governance/regions?parentCode={t}&pageSize=500").get("regions", [])]
grids = [call("CLERK", "POST", "/v1/governance/grids", {"villageCode": v, "name": "第一网格"})["grid"]
         for v in villages]

# The file, and the same file for COPY.
people = People()
header = "grid_code,name,id_number,address,household,tags\n"
lines = []
for k in range(records):
    idn, _ = people.person(dt.date(1935, 1, 1), dt.date(2015, 12, 31))
    lines.append(f"{grids[k % len(grids)]['gridCode']},居民{k},{idn},{k % 40 + 1}组{k % 97 + 1}号,"
                 f"H{k:06d},低保户;留守老人\n")
with open(os.path.join(work, "records.csv"), "w", encoding="utf-8") as f:
    f.write(header + "".join(lines))
parts = [(first, header + "".join(lines[first:first + part_rows]))
         for first in range(0, records, part_rows)]

failed = []
def send(p):
    first, text = p
    try:
        r = call("CLERK", "POST", "/v1/governance/resident-records:importCsv",
                 {"csv": text, "rowOffset": str(first)})
    except Exception as e:  # reported, never counted as imported
        failed.append(f"part at row {first}: {e}")
        return 0
    if int(r.get("rejected", 0) or 0):
        failed.append(f"part at row {first}: rejected {r.get('rejected')}: {r.get('errors', [])[:3]}")
    return int(r.get("created", 0) or 0)

t0 = time.monotonic()
with ThreadPoolExecutor(concurrency) as pool:
    created = sum(pool.map(send, parts))
seconds = time.monotonic() - t0
print(f"import\t{records}\t{created}\t{seconds:.3f}\t{len(parts)}\t{len(failed)}")
for f in failed[:5]:
    print(f"failure\t{f}")

# The worklist: a grid, a township (grid by grid), the county.
def walk(query):
    out, token = [], ""
    for _ in range(pages):
        t = time.monotonic()
        r = call("REVIEWER", "GET", f"/v1/governance/resident-records?{query}"
                 f"&status=RECORD_STATUS_SUBMITTED&pageSize=50&pageToken={token}")
        out.append((time.monotonic() - t) * 1000)
        token = r.get("nextPageToken", "")
        if not token:
            break
    return out
for name, query in (("grid", f"gridId={grids[-1]['gridId']}"),
                    ("township", f"regionPrefix={towns[-1]}"), ("county", "regionPrefix=340722")):
    for ms in walk(query):
        print(f"page\t{name}\t{ms:.3f}")
PY

# The baseline: COPY of the same file, same server.
COPY_DSN="host=127.0.0.1 port=$PG_PORT user=civil dbname=governance_copy"
psql "$COPY_DSN" -Xq -c "CREATE TABLE records (grid_code text, name text, id_number text, address text, household text, tags text)"
copy_ms=$(psql "$COPY_DSN" -X -v ON_ERROR_STOP=1 <<SQL | awk '/^Time:/ {print $2}' | tail -1
\timing on
\copy records FROM '$WORK/records.csv' WITH (FORMAT csv, HEADER true)
SQL
)
copied=$(psql "$COPY_DSN" -XtAc "SELECT count(*) FROM records")
stored=$(psql "$DSN" -XtAc "SELECT count(*) FROM resident_records")
server_hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$SERVER_PID/status")
gateway_hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$GATEWAY_PID/status")

python3 - "$WORK/api.tsv" "$copy_ms" "$copied" "$stored" "$server_hwm" "$gateway_hwm" \
  "$PART_ROWS" "$CONCURRENCY" <<'PY' | tee "$OUT/governance.md"
import os, sys
sys.path.insert(0, os.environ["CIVIL_BENCH_LIB"])
import targets
path, copy_ms, copied, stored, server_kb, gateway_kb, part_rows, concurrency = sys.argv[1:]
imp, pages, failures = None, {}, []
for line in open(path, encoding="utf-8"):
    f = line.rstrip("\n").split("\t")
    if f[0] == "import":
        imp = f
    elif f[0] == "page":
        pages.setdefault(f[1], []).append(float(f[2]))
    elif f[0] == "failure":
        failures.append(f[1])
records, created, seconds, parts, failed = int(imp[1]), int(imp[2]), float(imp[3]), imp[4], int(imp[5])
def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, max(0, -(-len(v) * p // 100) - 1))]  # nearest rank
rate = created / seconds if seconds else float("nan")
copy_rate = int(copied) / (float(copy_ms) / 1000) if copy_ms else float("nan")
ok = failed == 0 and created == records and int(stored) == records
print(f"\n## make bench — governance: {records:,} residents' records through the gateway\n")
print("| measure | value | baseline | ratio | target |")
print("|---|---:|---:|---:|---:|")
print(f"| import, {parts} parts of {part_rows}, {concurrency} at a time (records/s; baseline: psql "
      f"\\copy of the same file) | {rate:,.0f} | {copy_rate:,.0f} | {rate / copy_rate:.2f} | ≥ 0.30 |")
print(f"| import seconds | {seconds:.1f} | {float(copy_ms) / 1000:.1f} | | |")
print(f"| records created / stored / COPY rows | {created:,} / {int(stored):,} / {int(copied):,} | | | |")
print(f"| peak RSS, governance_server (MB) | {int(server_kb) / 1024:.0f} | | | ≤ 200 |")
print(f"| peak RSS, gateway (MB) | {int(gateway_kb) / 1024:.0f} | | | ≤ 200 |")
everything = []
for name in ("grid", "township", "county"):
    v = pages.get(name, [])
    everything += v
    if v:
        print(f"| worklist, one {name}: {len(v)} pages of 50 (ms) | p50 {pct(v, 50):.1f}, "
              f"p99 {pct(v, 99):.1f} | | | p99 ≤ 50 |")
if failures or not ok:
    print(f"\nFAILED: {failed} parts failed, {created:,} created of {records:,}, {stored} stored: "
          + "; ".join(failures))
else:
    targets.record("governance.import_ratio", rate / copy_rate)
targets.record("governance.service_rss_mb", int(server_kb) / 1024)
targets.record("governance.gateway_rss_mb", int(gateway_kb) / 1024)
if everything:
    targets.record("governance.worklist_p99_ms", pct(everything, 99))
PY
echo "(results in $OUT/governance.md)"
