#!/usr/bin/env bash
# `make bench`: throughput and latency, each scenario measured in the same run as its baseline,
# interleaved, medians. Prints figures and ratios; there is no pass/fail (the machine is shared and
# noisy: only ratios taken side by side mean much).
#
# 1. Our gateway against grpc-gateway v1.6.4, the peer everyone would otherwise pick
#    (../shared/bench/gateway-peer: both in front of the same C++ backend, wrk -c32, medians of
#    PEER_RUNS interleaved runs), twice: with no identity and no limits (as the peer runs), and
#    with JWT verification and Redis rate limits on. Targets: ≥ 2 × the peer's req/s, ≤ 50 µs
#    gateway CPU per request. Skipped, saying why, without Go and the harness's packages
#    (`make bench` installs them: CIVIL_DEPS_BENCH=1 deploy/local/deps.sh).
# 2. The household read path:
#    noop_get        h2load → noop_server GetHousehold (same runner, no PostgreSQL/Redis)
#    cached_get      h2load → assistance_server GetHousehold, household in the Redis cache
#    direct_c1m32    h2load -c1 -m32 → assistance_server: the load the gateway sends under wrk -c32
#    gateway_get     wrk -c32 → gateway → assistance_server GetHousehold
#    Targets reported against: cached_get ≥ 0.7 × noop_get; gateway_get ≥ 0.6 × direct_c1m32.
# 3. The departments' own benchmarks (eldercare: tests/bench/eldercare_bench.sh, the monthly
#    高龄津贴 run for 30,000 persons against a bare INSERT … SELECT; governance:
#    tests/bench/governance_bench.sh, 400,000 records imported through the gateway against COPY,
#    and the worklist), and the work summary on the generated county
#    (tests/bench/report_bench.sh: the report against the six GetSummary calls it makes).
#
# Knobs: RUNS=3 DUR=10 (seconds per scenario) CONNS=32; PEER_RUNS=3 PEER_DUR=10s;
# PEER_MODES="off jwt";
# CIVIL_BENCH_PEER=0 skips 1; CIVIL_BENCH_ONLY_PEER=1 runs 1 only; CIVIL_BENCH_ONLY_GATEWAY=1 skips
# 3; CIVIL_GATEWAY_PEER_DIR (default ../shared/bench/gateway-peer next to the repository);
# PEER_GATEWAY_STDERR=FILE keeps our gateway's log in 1 (default /dev/null: hundreds of MB).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
RUNS=${RUNS:-3}
DUR=${DUR:-10}
CONNS=${CONNS:-32}
# Synchronous-server threads of both gRPC servers: more than h2load's 8 × 32 streams, so that
# neither answers RESOURCE_EXHAUSTED (which h2load would count as a success).
GRPC_THREADS=${GRPC_THREADS:-300}
source "$ROOT/deploy/local/lib.sh"


WORK=$(mktemp -d /tmp/civil-bench-XXXXXX)
chmod 755 "$WORK"
OUT=$BUILD/bench
mkdir -p "$OUT"
# The one table of targets (tests/bench/targets.py): each bench records what it measured here.
export CIVIL_BENCH_LIB=$ROOT/tests/bench CIVIL_BENCH_TARGETS=$OUT/targets.tsv
: >"$CIVIL_BENCH_TARGETS"
print_targets() {
  python3 "$CIVIL_BENCH_LIB/targets.py" table "$CIVIL_BENCH_TARGETS" | tee "$OUT/targets.md"
}
PG_PORT=$(free_port); REDIS_PORT=$(free_port)
A_GRPC=$(free_port); A_METRICS=$(free_port); N_GRPC=$(free_port); N_METRICS=$(free_port)
GW_HTTP=$(free_port); GW_METRICS=$(free_port)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pg_stop "$WORK"
  rm -rf "$WORK"
}
trap cleanup EXIT

# ---------------------------------------------------------------- 1. our gateway vs grpc-gateway
PEER_DIR=${CIVIL_GATEWAY_PEER_DIR:-$ROOT/../shared/bench/gateway-peer}
PEER_BUILD=${PEER_BUILD:-$BUILD/gateway-peer}
PEER_RUNS=${PEER_RUNS:-3}
PEER_DUR=${PEER_DUR:-10s}
PEER_OURS_PORT=8082  # the harness's backend (50061) and grpc-gateway (8081) ports are fixed too

# What the harness needs that this machine lacks (empty: nothing).
peer_missing() {
  local missing=() t
  [[ -x $PEER_DIR/run.sh && -x $PEER_DIR/build.sh ]] || missing+=("the harness ($PEER_DIR)")
  for t in go protoc protoc-gen-go protoc-gen-grpc-gateway grpc_cpp_plugin g++ pkg-config wrk \
           h2load curl bc redis-server; do
    command -v "$t" >/dev/null || missing+=("$t")
  done
  [[ -x /usr/bin/time ]] || missing+=("/usr/bin/time")
  local gocode=/usr/share/gocode/src
  [[ -d $gocode/github.com/grpc-ecosystem/grpc-gateway/runtime ]] ||
    missing+=("golang-github-grpc-ecosystem-grpc-gateway-dev")
  [[ -d $gocode/google.golang.org/grpc ]] || missing+=("golang-google-grpc-dev")
  [[ -d $gocode/google.golang.org/genproto ]] || missing+=("golang-google-genproto-dev")
  [[ -d $gocode/github.com/golang/protobuf ]] || missing+=("golang-goprotobuf-dev")
  echo "${missing[*]}"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# peer_run NAME SCENARIOS GATEWAY_ARGS: one run of the harness with our gateway started with
# GATEWAY_ARGS, results in $WORK/peer-NAME.
peer_run() {
  local out=$WORK/peer-$1
  echo "gateway-peer ($1): ${2:-every scenario}"
  # Flags checked first (the harness only sees the process die).
  if ! $BUILD/gateway/gateway $3 --print-openapi >/dev/null 2>"$out.check"; then
    echo "gateway-peer ($1): our gateway refuses its flags:" >&2
    cat "$out.check" >&2
    return 1
  fi
  # The harness's own BUILD is the peer's build directory, not ours.
  local ours="$BUILD/gateway/gateway $3 2>${PEER_GATEWAY_STDERR:-/dev/null}"
  if ! (cd "$PEER_DIR" && BUILD=$PEER_BUILD OUT=$out RUNS=$PEER_RUNS DUR=$PEER_DUR SCENARIOS=$2 \
        OURS_PORT=$PEER_OURS_PORT OURS_CMD=$ours ./run.sh) >"$out.log" 2>&1; then
    echo "gateway-peer ($1) failed; the end of its log ($out.log):" >&2
    tail -20 "$out.log" >&2
    return 1
  fi
  cp "$out/summary.md" "$OUT/peer-$1-summary.md"
  cp "$out/raw.tsv" "$OUT/peer-$1-raw.tsv"
}

peer_bench() {
  local missing
  missing=$(peer_missing)
  if [[ -n $missing ]]; then
    echo "gateway-peer: SKIPPED, missing: $missing"
    echo "  (make bench installs the packages: CIVIL_DEPS_BENCH=1 deploy/local/deps.sh)"
    return 0
  fi
  local p
  for p in 50061 8081 $PEER_OURS_PORT; do
    if port_busy "$p"; then
      echo "gateway-peer: SKIPPED, port $p is in use (the harness needs 50061, 8081 and 8082)"
      return 0
    fi
  done
  # Built once into the build directory; again when the harness changes.
  local stamp=$PEER_BUILD/.built
  if [[ ! -e $stamp || -n $(find "$PEER_DIR" -newer "$stamp" -type f -print -quit) ]]; then
    echo "gateway-peer: building grpc-gateway v1 and the backend (about a minute)…"
    if ! BUILD=$PEER_BUILD "$PEER_DIR/build.sh" >"$WORK/peer-build.log" 2>&1; then
      echo "gateway-peer: SKIPPED, its build failed (end of $WORK/peer-build.log):" >&2
      tail -20 "$WORK/peer-build.log" >&2
      return 0
    fi
    touch "$stamp"
  fi
  # Our gateway serves the harness's descriptor set in front of its backend. The access log is
  # written (batched, as always) to /dev/null: per run it would be hundreds of MB of disk.
  local gateway="--descriptor-set $PEER_BUILD/echo.desc"
  gateway+=" --backend bench.v1.EchoService=127.0.0.1:50061 --listen 127.0.0.1:$PEER_OURS_PORT"
  gateway+=" --metrics-listen off --json-names proto"  # the peer prints proto names (OrigName)
  local modes=${PEER_MODES:-off jwt}
  if [[ " $modes " == *" off "* ]]; then
    peer_run off "" "$gateway --auth off --rate-limit off" || return 0
  fi
  [[ " $modes " == *" jwt "* ]] || { peer_table "$modes"; return 0; }

  # Again with identity and limits on: a bearer token verified (ES256, then from the token cache)
  # and both rate-limit buckets (subject, IP) taken in Redis on every request. The harness's
  # contract declares no access rule, so the token has `admin`; the buckets are large enough that
  # every request passes through the limiter without being refused. Only requests to our port
  # carry the token: curl and wrk are wrapped for the harness.
  local peer_redis_port
  peer_redis_port=$(free_port)
  redis_start "$WORK/peer-redis" "$peer_redis_port"; pids+=("$REDIS_PID")
  for _ in $(seq 1 100); do port_busy "$peer_redis_port" && break; sleep 0.1; done
  "$BUILD/gateway/civilctl/civilctl" dev-keys "$WORK/peer-jwt" >/dev/null
  CIVIL_BENCH_TOKEN=$("$BUILD/gateway/civilctl/civilctl" token --subject bench --roles admin \
    --region '*' --ttl 86400 --key "$WORK/peer-jwt/dev.key")
  export CIVIL_BENCH_TOKEN
  local shims=$WORK/peer-shims tool real
  mkdir -p "$shims"
  for tool in curl wrk; do
    real=$(command -v "$tool")
    cat >"$shims/$tool" <<SHIM
#!/usr/bin/env bash
# make bench: requests to our gateway (port $PEER_OURS_PORT) carry a bearer token.
for a in "\$@"; do
  [[ \$a == *"127.0.0.1:$PEER_OURS_PORT/"* ]] && exec "$real" -H "Authorization: Bearer \$CIVIL_BENCH_TOKEN" "\$@"
done
exec "$real" "\$@"
SHIM
    chmod +x "$shims/$tool"
  done
  local limits=""
  for bucket in read.subject read.ip write.subject write.ip; do
    limits+=" --rate-limit $bucket=1000000/1000000"
  done
  PATH="$shims:$PATH" peer_run jwt "ours_get gw_get ours_post gw_post" \
    "$gateway --jwt-keys $WORK/peer-jwt/dev.pub --jwt-issuer civil-dev --jwt-audience civil-api \
     --redis 127.0.0.1:$peer_redis_port$limits" || return 0
  peer_table "$modes"
}

# The comparison table from the runs of peer_bench (modes "off", "jwt").
peer_table() {
  python3 - "$OUT" "$PEER_RUNS" "$PEER_DUR" "$1" <<'PY' | tee "$OUT/peer.md"
import os, statistics, sys
sys.path.insert(0, os.environ["CIVIL_BENCH_LIB"])
import targets
out, runs, dur, modes = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split()
def load(name):
    path = os.path.join(out, f"peer-{name}-raw.tsv")
    rows = [l.rstrip("\n").split("\t") for l in open(path)][1:]
    by = {}
    for r in rows:
        by.setdefault(r[0], []).append(r)
    def med(scenario, col):
        vals = [float(r[col]) for r in by.get(scenario, []) if r[col] not in ("NA", "")]
        return statistics.median(vals) if vals else float("nan")
    return med
print(f"\n## Our gateway vs grpc-gateway v1.6.4 (gateway-peer harness, same backend, wrk -t1 -c32)")
print(f"medians of {runs} interleaved runs of {dur}; CPU = the gateway process's user+system time"
      " per request\n")
print("| request | identity, limits | ours req/s | grpc-gateway req/s | ours ÷ peer | ours p99 µs |"
      " peer p99 µs | ours CPU µs/req | peer CPU µs/req | errors (ours, peer) |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
ok = True
for name, label in (("off", "none (as the peer)"), ("jwt", "JWT ES256 + Redis rate limits")):
    if name not in modes:
        continue
    med = load(name)
    for kind in ("get", "post"):
        ours, peer = f"ours_{kind}", f"gw_{kind}"
        ratio = med(ours, 2) / med(peer, 2)
        cpu = med(ours, 13)
        ok = ok and ratio >= 2 and cpu <= 50
        targets.record(f"gateway.peer_{kind}_ratio", ratio)
        targets.record("gateway.cpu_us_per_request", cpu)
        print(f"| {kind.upper()} | {label} | {med(ours, 2):.0f} | {med(peer, 2):.0f} | {ratio:.2f}× |"
              f" {med(ours, 5):.0f} | {med(peer, 5):.0f} | {cpu:.1f} | {med(peer, 13):.1f} |"
              f" {med(ours, 8):.0f}, {med(peer, 8):.0f} |")
print("\ntargets: ours ÷ peer ≥ 2.00 and ours CPU ≤ 50 µs/req:", "met" if ok else "NOT met")
print("(the harness's own tables, with the direct-gRPC scenarios: peer-off-summary.md, "
      "peer-jwt-summary.md in the same directory)")
PY
  echo "(results in $OUT/peer.md)"
}

if [[ ${CIVIL_BENCH_PEER:-1} != 0 ]]; then
  peer_bench
fi
if [[ -n ${CIVIL_BENCH_ONLY_PEER:-} ]]; then
  print_targets
  exit 0
fi

# ---------------------------------------------------------------- 2. the household read path
pg_start "$WORK" "$PG_PORT"
pg_ensure_db "$PG_PORT" civil_assistance
redis_start "$WORK" "$REDIS_PORT"; pids+=("$REDIS_PID")
# Bearer tokens as in production (verified once, then served from the token caches of the
# gateway and of the service, which verifies every caller itself); no rate limit: the load comes
# from one subject and one IP.
"$BUILD/gateway/civilctl/civilctl" dev-keys "$WORK/jwt" >/dev/null
TOKEN=$("$BUILD/gateway/civilctl/civilctl" token --subject bench --roles assistance.clerk \
  --region 340722 --key "$WORK/jwt/dev.key")
AUTH=(-H "Authorization: Bearer $TOKEN")
CIVIL_ASSISTANCE_ADDR=127.0.0.1:$A_GRPC CIVIL_ASSISTANCE_METRICS_ADDR=127.0.0.1:$A_METRICS \
CIVIL_ASSISTANCE_PG_DSN="host=127.0.0.1 port=$PG_PORT user=civil dbname=civil_assistance" \
CIVIL_REDIS_ADDR=127.0.0.1:$REDIS_PORT CIVIL_PII_KEY=$(openssl rand -hex 32) \
CIVIL_JWT_KEYS=$WORK/jwt/dev.pub CIVIL_JWT_ISSUER=civil-dev \
CIVIL_GRPC_THREADS=$GRPC_THREADS "$BUILD/services/assistance/assistance_server" >"$WORK/log/assistance.log" 2>&1 &
pids+=($!)
CIVIL_GRPC_THREADS=$GRPC_THREADS "$BUILD/tests/noop_server" 127.0.0.1:$N_GRPC 127.0.0.1:$N_METRICS >"$WORK/log/noop.log" 2>&1 &
pids+=($!)
CIVIL_ASSISTANCE_ADDR=127.0.0.1:$A_GRPC "$BUILD/gateway/gateway" \
  --descriptor-set "$BUILD/civil.desc" --listen 127.0.0.1:$GW_HTTP \
  --jwt-keys "$WORK/jwt/dev.pub" --jwt-issuer civil-dev --jwt-audience civil-api --rate-limit off \
  --metrics-listen 127.0.0.1:$GW_METRICS >"$WORK/log/gateway.log" 2>&1 &
pids+=($!)
GW_PID=$!
CIVILCTL=$BUILD/gateway/civilctl/civilctl
wait_grpc_health "$CIVILCTL" 127.0.0.1:$A_GRPC 60
wait_grpc_health "$CIVILCTL" 127.0.0.1:$N_GRPC 60
wait_http "http://127.0.0.1:$GW_HTTP/healthz" 60

# One household, created through the gateway; its id is what every GET asks for.
ID=$(curl -fsS -X POST "http://127.0.0.1:$GW_HTTP/v1/assistance/households" "${AUTH[@]}" \
  -H 'content-type: application/json' \
  -d '{"regionCode":"340722100001","area":"AREA_RURAL","members":[{"name":"王大","idNumber":"11010519491231002X","relation":"RELATION_HEAD"}]}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["household"]["householdId"])')
# gRPC frame of GetHouseholdRequest{household_id: ID}: flag 0, length, field 1 (0x0a), 36 bytes.
python3 - "$ID" "$WORK/get.bin" <<'PY'
import struct, sys
msg = b"\x0a" + bytes([len(sys.argv[1])]) + sys.argv[1].encode()
open(sys.argv[2], "wb").write(b"\x00" + struct.pack(">I", len(msg)) + msg)
PY
# Direct calls carry the token the gateway would forward (services/common/identity.h).
GRPC_H=(-H 'content-type: application/grpc' -H 'te: trailers' -H "authorization: Bearer $TOKEN")
METHOD=civil.assistance.v1.HouseholdService/GetHousehold
curl -fsS -o /dev/null "${AUTH[@]}" "http://127.0.0.1:$GW_HTTP/v1/assistance/households/$ID"  # fills the cache

ok_count() {  # ok_count METRICS_PORT → handled OK GetHousehold calls so far
  curl -fsS "http://127.0.0.1:$1/metrics" |
    awk '/^grpc_server_handled_total/ && /grpc_code="OK"/ && /grpc_method="GetHousehold"/ {print $2}'
}

percentiles() {  # h2load --log-file: column 3 = µs; prints "p50 p99"
  sort -n -k3,3 "$1" | awk '{a[NR]=$3} END {
    i50=int(NR*0.50); if (i50<1) i50=1; i99=int(NR*0.99); if (i99<1) i99=1; print a[i50], a[i99] }'
}

run_h2() {  # run_h2 NAME PORT CONNS STREAMS METRICS_PORT
  local name=$1 port=$2 c=$3 m=$4 mport=$5 before after log=$WORK/$1.log
  before=$(ok_count "$mport")
  h2load -D "$DUR" -c "$c" -m "$m" -d "$WORK/get.bin" "${GRPC_H[@]}" --log-file="$log.lat" \
    "http://127.0.0.1:$port/$METHOD" >"$log" 2>&1
  after=$(ok_count "$mport")
  local rps succeeded p50 p99
  rps=$(awk '/^finished in/ {gsub(",", "", $4); print $4}' "$log")
  succeeded=$(awk '/^requests:/ {print $8}' "$log")
  read -r p50 p99 < <(percentiles "$log.lat")
  # h2load counts an HTTP 200 carrying a gRPC error as a success: the server's own counter says
  # how many calls really succeeded.
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$rps" "$p50" "$p99" "$succeeded" \
    "$(awk -v a="$after" -v b="$before" 'BEGIN {printf "%d", a-b}')" >>"$WORK/raw.tsv"
}

run_wrk() {  # run_wrk NAME URL METRICS_PORT
  local name=$1 url=$2 mport=$3 before after log=$WORK/$1.log
  before=$(ok_count "$mport")
  wrk -t1 -c"$CONNS" -d"${DUR}s" --timeout 5s "${AUTH[@]}" -s "$ROOT/tests/bench/wrk.lua" "$url" >"$log" 2>&1
  after=$(ok_count "$mport")
  local rps p50 p99 requests non2xx
  read -r rps p50 p99 requests non2xx < <(grep '^RESULT' "$log" | sed 's/[a-z0-9_]*=//g' |
    awk '{print $2, $3, $4, $5, $6}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$rps" "$p50" "$p99" "$((requests - non2xx))" \
    "$(awk -v a="$after" -v b="$before" 'BEGIN {printf "%d", a-b}')" >>"$WORK/raw.tsv"
}

echo "warm-up…"
h2load -n 20000 -c 8 -m 32 -d "$WORK/get.bin" "${GRPC_H[@]}" "http://127.0.0.1:$A_GRPC/$METHOD" >/dev/null
h2load -n 20000 -c 8 -m 32 -d "$WORK/get.bin" "${GRPC_H[@]}" "http://127.0.0.1:$N_GRPC/$METHOD" >/dev/null
wrk -t1 -c"$CONNS" -d3s "${AUTH[@]}" "http://127.0.0.1:$GW_HTTP/v1/assistance/households/$ID" >/dev/null

: >"$WORK/raw.tsv"
for run in $(seq 1 "$RUNS"); do
  echo "round $run/$RUNS"
  run_h2 noop_get "$N_GRPC" 8 32 "$N_METRICS"
  run_h2 cached_get "$A_GRPC" 8 32 "$A_METRICS"
  run_h2 direct_c1m32 "$A_GRPC" 1 "$CONNS" "$A_METRICS"
  run_wrk gateway_get "http://127.0.0.1:$GW_HTTP/v1/assistance/households/$ID" "$A_METRICS"
done
cp "$WORK/raw.tsv" "$OUT/raw.tsv"
# The gateway's memory after the rounds: resident now and its peak under the load above.
GW_RSS=$(awk '/^VmRSS/ {print $2}' "/proc/$GW_PID/status")
GW_HWM=$(awk '/^VmHWM/ {print $2}' "/proc/$GW_PID/status")

python3 - "$WORK/raw.tsv" "$RUNS" "$DUR" "$CONNS" <<'PY' | tee "$OUT/results.md"
import os, statistics, sys
sys.path.insert(0, os.environ["CIVIL_BENCH_LIB"])
import targets
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
runs, dur, conns = sys.argv[2], sys.argv[3], sys.argv[4]
by = {}
# Throughput is what the server counted as handled OK per second (h2load counts an HTTP 200
# carrying a gRPC error as a success); the load tool's own figure is shown beside it.
for name, rps, p50, p99, ok_client, ok_server in rows:
    by.setdefault(name, []).append((int(ok_server) / float(dur), int(p50), int(p99), int(ok_client),
                                    int(ok_server), float(rps)))
med = {n: (statistics.median(r[0] for r in v), statistics.median(r[1] for r in v),
           statistics.median(r[2] for r in v), sum(r[3] for r in v), sum(r[4] for r in v),
           min(r[0] for r in v), max(r[0] for r in v), statistics.median(r[5] for r in v))
       for n, v in by.items()}
print(f"\n## make bench — medians of {runs} interleaved rounds, {dur} s each\n")
print("| scenario | OK req/s (server) | (min-max) | load tool req/s | p50 µs | p99 µs | client-counted OK | server-counted OK |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for n in ["noop_get", "cached_get", "direct_c1m32", "gateway_get"]:
    if n in med:
        r, p50, p99, okc, oks, lo, hi, tool = med[n]
        print(f"| {n} | {r:.0f} | {lo:.0f}-{hi:.0f} | {tool:.0f} | {p50} | {p99} | {okc} | {oks} |")
def ratio(a, b):
    return med[a][0] / med[b][0] if a in med and b in med and med[b][0] else float("nan")
print("\n| ratio | value | target |")
print("|---|---:|---:|")
print(f"| cached_get / noop_get | {ratio('cached_get', 'noop_get'):.2f} | ≥ 0.70 |")
print(f"| gateway_get / direct_c1m32 | {ratio('gateway_get', 'direct_c1m32'):.2f} | ≥ 0.60 |")
targets.record("assistance.cached_get_ratio", ratio("cached_get", "noop_get"))
targets.record("gateway.get_ratio", ratio("gateway_get", "direct_c1m32"))
PY
printf '\ngateway memory under load (wrk -c%s): RSS %d MiB now, peak %d MiB\n' "$CONNS" \
  "$((GW_RSS / 1024))" "$((GW_HWM / 1024))" | tee -a "$OUT/results.md"
echo "(results in $OUT/results.md)"
[[ -n ${CIVIL_BENCH_ONLY_GATEWAY:-} || ! -x $ROOT/tests/bench/assistance_bench.sh ]] || BUILD=$BUILD RUNS=$RUNS "$ROOT/tests/bench/assistance_bench.sh" || echo "assistance bench failed (see above)" >&2
[[ -n ${CIVIL_BENCH_ONLY_GATEWAY:-} || ! -x $ROOT/tests/affairs/affairs_bench.sh ]] || BUILD=$BUILD "$ROOT/tests/affairs/affairs_bench.sh" || echo "affairs bench failed (see above)" >&2
[[ -n ${CIVIL_BENCH_ONLY_GATEWAY:-} || ! -x $ROOT/tests/bench/events_bench.sh ]] || BUILD=$BUILD "$ROOT/tests/bench/events_bench.sh" || echo "events bench failed (see above)" >&2
[[ -n ${CIVIL_BENCH_ONLY_GATEWAY:-} || ! -x $ROOT/tests/bench/eldercare_bench.sh ]] || BUILD=$BUILD RUNS=$RUNS "$ROOT/tests/bench/eldercare_bench.sh" || echo "eldercare bench failed (see above)" >&2
[[ -n ${CIVIL_BENCH_ONLY_GATEWAY:-} || ! -x $ROOT/tests/bench/governance_bench.sh ]] || BUILD=$BUILD "$ROOT/tests/bench/governance_bench.sh" || echo "governance bench failed (see above)" >&2
[[ -n ${CIVIL_BENCH_ONLY_GATEWAY:-} || ! -x $ROOT/tests/bench/report_bench.sh ]] || BUILD=$BUILD "$ROOT/tests/bench/report_bench.sh" || echo "report bench failed (see above)" >&2
print_targets
