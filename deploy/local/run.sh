#!/usr/bin/env bash
# `make run`: the whole platform on this machine, state under ./var.
#
# Starts a private PostgreSQL 15 (as the unprivileged `postgres` user when run as root) and
# Redis 7 on loopback ports, creates each service's database, starts every service and the
# gateway, waits until all report healthy, prints the URLs, and on Ctrl-C stops everything it
# started. A second run reuses the data in ./var. No system service is touched.
#
# Ports (override by environment): PostgreSQL CIVIL_PG_PORT=55432, Redis CIVIL_REDIS_PORT=56379,
# services 50051… with /metrics on 9101… (CIVIL_PORT_OFFSET shifts them), gateway 8080 with /metrics on 9100. CIVIL_GATEWAY_ARGS:
# extra gateway flags (e.g. `--rate-limit off`, as `make demo` runs it).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
VAR=${CIVIL_VAR:-$ROOT/var}
PG_PORT=${CIVIL_PG_PORT:-55432}
REDIS_PORT=${CIVIL_REDIS_PORT:-56379}
GATEWAY_PORT=${CIVIL_GATEWAY_PORT:-8080}
GATEWAY_METRICS_PORT=${CIVIL_GATEWAY_METRICS_PORT:-9100}

# service name, gRPC port, metrics port — one line per department that has been built.
SERVICES=(
  "assistance 50051 9101"
  "eldercare 50052 9102"
  "childwelfare 50053 9103"
  "governance 50054 9104"
  "socialorg 50055 9105"
  "affairs 50056 9106"
  "report 50057 9107"
  "exchange 50058 9108"
)
# CIVIL_PORT_OFFSET (default 0) shifts every service's gRPC and metrics port, for a second
# platform beside a running one (make bench's work-summary bench runs one so).
if ((${CIVIL_PORT_OFFSET:-0})); then
  for i in "${!SERVICES[@]}"; do
    read -r name grpc metrics <<<"${SERVICES[$i]}"
    SERVICES[i]="$name $((grpc + CIVIL_PORT_OFFSET)) $((metrics + CIVIL_PORT_OFFSET))"
  done
fi

source "$ROOT/deploy/local/lib.sh"
mkdir -p "$VAR/log" "$VAR/run"

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo
  echo "stopping…"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pg_stop "$VAR"
  echo "stopped."
  exit 0
}
trap stop_all INT TERM EXIT

pg_start "$VAR" "$PG_PORT"
redis_start "$VAR" "$REDIS_PORT"
pids+=("$REDIS_PID")

# The key protecting ID numbers: made once, kept with the data it protects.
if [[ ! -s "$VAR/pii.key" ]]; then
  (umask 077 && openssl rand -hex 32 >"$VAR/pii.key")
fi
export CIVIL_PII_KEY=$(cat "$VAR/pii.key")
export CIVIL_REDIS_ADDR=127.0.0.1:$REDIS_PORT
# Development bearer tokens: an ES256 key pair made once (var/jwt/dev.key, dev.pub), kept with the
# data; the gateway trusts dev.pub, `civilctl token` signs with dev.key.
CIVILCTL=$BUILD/gateway/civilctl/civilctl
"$CIVILCTL" dev-keys "$VAR/jwt" >/dev/null
# Every service verifies callers itself (services/common/identity.h): users' tokens against the
# same key, and each department's calls to another with a service token signed by the caller's own
# key (var/service-keys/<name>.key; the others trust <name>.pub), made once like the JWT key.
export CIVIL_JWT_KEYS=$VAR/jwt/dev.pub CIVIL_JWT_ISSUER=civil-dev CIVIL_JWT_AUDIENCE=civil-api
export CIVIL_SERVICE_KEYS=$VAR/service-keys
mkdir -p "$CIVIL_SERVICE_KEYS"
for entry in "${SERVICES[@]}"; do
  read -r name _ <<<"$entry"
  if [[ ! -s "$CIVIL_SERVICE_KEYS/$name.key" ]]; then
    (umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
      -out "$CIVIL_SERVICE_KEYS/$name.key" 2>/dev/null)
    openssl pkey -in "$CIVIL_SERVICE_KEYS/$name.key" -pubout -out "$CIVIL_SERVICE_KEYS/$name.pub"
  fi
done
# CIVIL_TLS=1: TLS with client certificates (mTLS) on every gRPC port (services/common/tls.h),
# from a private CA made once under var/tls (deploy/local/tls.sh). The services serve and call each
# other with var/tls/service.pem; the gateway calls them with var/tls/gateway.pem through gRPC's
# own client; civilctl reads the same variables. Off by default.
GATEWAY_TLS=()
if [[ ${CIVIL_TLS:-0} == 1 ]]; then
  bash "$ROOT/deploy/local/tls.sh" "$VAR/tls"
  export CIVIL_TLS_CERT=$VAR/tls/service.pem CIVIL_TLS_KEY=$VAR/tls/service.key
  export CIVIL_TLS_CA=$VAR/tls/ca.pem CIVIL_TLS_CLIENT_CA=$VAR/tls/ca.pem
  GATEWAY_TLS=(--backend-tls-ca "$VAR/tls/ca.pem" --backend-tls-cert "$VAR/tls/gateway.pem"
    --backend-tls-key "$VAR/tls/gateway.key")
fi
# The exchange's webhook subscriptions may notify plain-http endpoints on this machine only.
export CIVIL_EXCHANGE_WEBHOOK_PLAINTEXT_HOSTS=${CIVIL_EXCHANGE_WEBHOOK_PLAINTEXT_HOSTS:-127.0.0.1,localhost}
# The county's default benefit standards (loaded once; edit them through the API).
export CIVIL_ASSISTANCE_SEED_STANDARDS=$ROOT/deploy/local/seed/assistance-standards-340722.json

for entry in "${SERVICES[@]}"; do
  read -r name grpc metrics <<<"$entry"
  upper=${name^^}
  db=civil_$name
  pg_ensure_db "$PG_PORT" "$db"
  export "CIVIL_${upper}_ADDR=127.0.0.1:$grpc"
  export "CIVIL_${upper}_METRICS_ADDR=127.0.0.1:$metrics"
  export "CIVIL_${upper}_PG_DSN=host=127.0.0.1 port=$PG_PORT user=civil dbname=$db"
  export "CIVIL_${upper}_SERVICE_KEY=$CIVIL_SERVICE_KEYS/$name.key"
  "$BUILD/services/$name/${name}_server" >>"$VAR/log/$name.log" 2>&1 &
  pids+=($!)
done

"$BUILD/gateway/gateway" --descriptor-set "$BUILD/civil.desc" \
  --listen "127.0.0.1:$GATEWAY_PORT" --metrics-listen "127.0.0.1:$GATEWAY_METRICS_PORT" \
  --jwt-keys "$VAR/jwt/dev.pub" --jwt-issuer civil-dev --jwt-audience civil-api \
  --dev-sign-in-key "$VAR/jwt/dev.key" "${GATEWAY_TLS[@]}" ${CIVIL_GATEWAY_ARGS:-} \
  >>"$VAR/log/gateway.log" 2>&1 &
pids+=($!)

# Healthy = every service answers grpc.health.v1 SERVING and the gateway's /healthz is 200.
for entry in "${SERVICES[@]}"; do
  read -r name grpc metrics <<<"$entry"
  wait_grpc_health "$BUILD/gateway/civilctl/civilctl" "127.0.0.1:$grpc" 60 ||
    { echo "$name did not become healthy; see $VAR/log/$name.log" >&2; exit 1; }
done
wait_http "http://127.0.0.1:$GATEWAY_PORT/healthz" 60 ||
  { echo "gateway did not become healthy; see $VAR/log/gateway.log" >&2; exit 1; }

cat <<INFO

Civil Affairs Platform is running (state in $VAR, logs in $VAR/log; gRPC ports: $([[ ${CIVIL_TLS:-0} == 1 ]] && echo "mTLS, CA $VAR/tls/ca.pem" || echo plaintext)).

  gateway      http://127.0.0.1:$GATEWAY_PORT     metrics http://127.0.0.1:$GATEWAY_METRICS_PORT/metrics
  console      http://127.0.0.1:$GATEWAY_PORT/console/   (开发登录: pick a role and region; development only)
  API docs     http://127.0.0.1:$GATEWAY_PORT/docs   (OpenAPI: /openapi.json)
INFO
for entry in "${SERVICES[@]}"; do
  read -r name grpc metrics <<<"$entry"
  printf '  %-12s grpc 127.0.0.1:%s  metrics http://127.0.0.1:%s/metrics\n' "$name" "$grpc" "$metrics"
done
cat <<INFO
  postgres     127.0.0.1:$PG_PORT (user civil)      redis 127.0.0.1:$REDIS_PORT

Try (a development token for a clerk of county 340722, valid 1 h):
  T=\$($CIVILCTL token --subject alice --roles assistance.clerk --region 340722 --key $VAR/jwt/dev.key)
  curl -s -X POST http://127.0.0.1:$GATEWAY_PORT/v1/assistance/households \\
    -H "Authorization: Bearer \$T" -H 'content-type: application/json' \\
    -d '{"regionCode":"340722100001","area":"AREA_RURAL","members":[{"name":"张三","idNumber":"11010519491231002X","relation":"RELATION_HEAD"}]}'
  curl -s -H "Authorization: Bearer \$T" 'http://127.0.0.1:$GATEWAY_PORT/v1/assistance/households?regionPrefix=340722'

Ctrl-C stops everything.
INFO
wait -n "${pids[@]}" || true
echo "a process exited unexpectedly; see $VAR/log" >&2
exit 1
