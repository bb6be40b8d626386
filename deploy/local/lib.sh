# Shell functions shared by `make run` (deploy/local/run.sh) and `make bench` (tests/bench/run.sh):
# a private PostgreSQL 15 and Redis 7 on loopback, from Debian's binaries, state in a folder.
# PostgreSQL runs as the unprivileged `postgres` user when invoked as root.

PG_BIN=/usr/lib/postgresql/15/bin
AS_PG=()
if [[ $(id -u) -eq 0 ]]; then AS_PG=(runuser -u postgres --); fi

# pg_start DIR PORT — initdb DIR/postgres once, start it; the socket lives in DIR/run.
pg_start() {
  local dir=$1 port=$2
  mkdir -p "$dir/log" "$dir/run" "$dir/postgres"
  if [[ ${#AS_PG[@]} -gt 0 ]]; then
    chown postgres:postgres "$dir/run" "$dir/postgres"
    touch "$dir/log/postgres.log" && chown postgres "$dir/log/postgres.log"
  fi
  chmod 700 "$dir/postgres"
  if [[ ! -s "$dir/postgres/PG_VERSION" ]]; then
    "${AS_PG[@]}" "$PG_BIN/initdb" -D "$dir/postgres" -U civil -A trust -E UTF8 --locale=C \
      >"$dir/log/initdb.log"
  fi
  "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$dir/postgres" -l "$dir/log/postgres.log" -w -t 60 \
    -o "-p $port -k $dir/run -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
}

# pg_stop DIR
pg_stop() {
  "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$1/postgres" -m fast -w stop >/dev/null 2>&1 || true
}

# pg_ensure_db PORT NAME — creates database NAME when missing.
pg_ensure_db() {
  local admin="host=127.0.0.1 port=$1 user=civil dbname=postgres"
  [[ $(psql "$admin" -tAc "SELECT 1 FROM pg_database WHERE datname = '$2'") == 1 ]] ||
    psql "$admin" -qc "CREATE DATABASE $2"
}

# free_port — a loopback port free now (the benches' private servers; a race with another process
# taking it is possible, and harmless there: the bench fails and says so).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# redis_start DIR PORT — runs in the background; its pid is in REDIS_PID.
redis_start() {
  mkdir -p "$1/log" "$1/run"
  redis-server --port "$2" --bind 127.0.0.1 --dir "$1/run" --save "" --appendonly no \
    >"$1/log/redis.log" 2>&1 &
  REDIS_PID=$!
}

# wait_http URL SECONDS — until URL answers 2xx.
wait_http() {
  local deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$1" 2>/dev/null; do
    ((SECONDS > deadline)) && return 1
    sleep 0.2
  done
}

# wait_grpc_health CIVILCTL ADDR SECONDS — until grpc.health.v1 says SERVING.
wait_grpc_health() {
  local deadline=$((SECONDS + $3))
  until "$1" health "$2" >/dev/null 2>&1; do
    ((SECONDS > deadline)) && return 1
    sleep 0.2
  done
}
