#!/usr/bin/env bash
# `make bench`, social affairs: RECORDS cremation records inserted through the API path
# (affairs_bench_client → gRPC RecordCremation on a running affairs_server; each record its own
# transaction with the fee waiver lookup, the PersonDeceased outbox row and the death hooks), at
# CONCURRENCY callers. Prints records/s and p50/p99 latency; there is no pass/fail. As a baseline
# on the same database, the raw rate of one INSERT … SELECT of RECORDS rows into a copy of the
# cremations table without indexes (what PostgreSQL alone can take here).
# Knobs: RECORDS=100000 CONCURRENCY=32. Output: build/bench/affairs.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
export CIVIL_BENCH_LIB=${CIVIL_BENCH_LIB:-$ROOT/tests/bench}  # targets.py (run.sh's table)
RECORDS=${RECORDS:-100000}
CONCURRENCY=${CONCURRENCY:-32}
source "$ROOT/deploy/local/lib.sh"

CLIENT=$BUILD/tests/affairs_bench_client
SERVER=$BUILD/services/affairs/affairs_server
CIVILCTL=$BUILD/gateway/civilctl/civilctl
for bin in "$CLIENT" "$SERVER" "$CIVILCTL"; do
  [[ -x $bin ]] || { echo "affairs bench: $bin is missing; build the tree first" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/civil-fbench-XXXXXX)
chmod 755 "$WORK"
OUT=$BUILD/bench
mkdir -p "$OUT"
PG_PORT=$(free_port); REDIS_PORT=$(free_port); GRPC=$(free_port); METRICS=$(free_port)
DSN="host=127.0.0.1 port=$PG_PORT user=civil dbname=civil_affairs"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pg_stop "$WORK"
  rm -rf "$WORK"
}
trap cleanup EXIT

pg_start "$WORK" "$PG_PORT"
pg_ensure_db "$PG_PORT" civil_affairs
redis_start "$WORK" "$REDIS_PORT"; pids+=("$REDIS_PID")
# The service verifies its callers: a development key pair, and the client's token from it.
"$CIVILCTL" dev-keys "$WORK/jwt" >/dev/null
export CIVIL_BENCH_TOKEN
CIVIL_BENCH_TOKEN=$("$CIVILCTL" token --subject bench --roles affairs.clerk,affairs.reviewer \
  --region '*' --ttl 86400 --key "$WORK/jwt/dev.key")
CIVIL_JWT_KEYS=$WORK/jwt/dev.pub CIVIL_JWT_ISSUER=civil-dev \
CIVIL_AFFAIRS_ADDR=127.0.0.1:$GRPC CIVIL_AFFAIRS_METRICS_ADDR=127.0.0.1:$METRICS \
CIVIL_AFFAIRS_PG_DSN=$DSN CIVIL_REDIS_ADDR=127.0.0.1:$REDIS_PORT \
CIVIL_PII_KEY=$(openssl rand -hex 32) CIVIL_PG_POOL_SIZE=${CIVIL_PG_POOL_SIZE:-16} \
CIVIL_GRPC_THREADS=${CIVIL_GRPC_THREADS:-64} \
  "$SERVER" >"$WORK/log/affairs.log" 2>&1 &
pids+=($!)
wait_grpc_health "$CIVILCTL" "127.0.0.1:$GRPC" 60 ||
  { echo "affairs bench: the server did not become healthy" >&2; cat "$WORK/log/affairs.log" >&2; exit 1; }

echo "affairs bench: $RECORDS cremations through RecordCremation, $CONCURRENCY callers…"
read -r _ records errors seconds rate p50 p99 < <("$CLIENT" --addr "127.0.0.1:$GRPC" \
  --records "$RECORDS" --concurrency "$CONCURRENCY" --schedule)
stored=$(psql "$DSN" -XtAc "SELECT (SELECT count(*) FROM cremations) || ' ' || (SELECT count(*) FROM outbox)")

# Baseline: the same number of rows in one INSERT … SELECT, no indexes, no round trips.
psql "$DSN" -Xq -c "CREATE TABLE bench_cremations (LIKE cremations INCLUDING DEFAULTS)" >/dev/null
baseline_ms=$(psql "$DSN" -X -v ON_ERROR_STOP=1 <<SQL | awk '/^Time:/ {print $2}' | tail -1
\timing on
INSERT INTO bench_cremations (cremation_id, name, id_cipher, id_index, id_masked, birth_date, sex,
  date_of_death, cremated_on, funeral_home, region_code, waived_fen, event_id, created_by)
SELECT gen_random_uuid(), '逝者', '\x01'::bytea, md5(i::text), '340722********0000', '1940-01-01',
  'M', '2023-03-01', '2023-03-02', '枞阳县殡仪馆', '340722100001', 100000, gen_random_uuid(), 'bench'
FROM generate_series(1, $RECORDS) i;
SQL
)
baseline_rate=$(awk -v n="$RECORDS" -v ms="$baseline_ms" 'BEGIN {printf "%.0f", n / (ms / 1000)}')
{
  echo "| affairs | value |"
  echo "|---|---|"
  echo "| cremations recorded through the API | $records ($errors errors) in ${seconds}s |"
  echo "| rate | **$rate records/s** (p50 ${p50} ms, p99 ${p99} ms, $CONCURRENCY callers) |"
  echo "| rows stored (cremations, outbox) | $stored |"
  echo "| baseline: one INSERT … SELECT, no indexes | $baseline_rate rows/s |"
} | tee "$OUT/affairs.md"
# A run with errors measured nothing of the target.
if [[ $errors == 0 ]]; then
  python3 "$CIVIL_BENCH_LIB/targets.py" record affairs.cremations_per_s "$rate"
fi
