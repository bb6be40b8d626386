#!/usr/bin/env bash
# deploy_backup_pitr: deploy/backup on a real PostgreSQL 15. WAL archiving on (archive-wal.sh),
# rows 1–3, a base backup (base-backup.sh), rows 4–6, the point in time T, then rows 7–9 and row 1
# deleted; restore-pitr.sh to T into a new data directory; the restored cluster holds exactly
# rows 1–6 and accepts writes. Runs PostgreSQL as `postgres` when run as root (deploy/local/lib.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
source "$ROOT/deploy/local/lib.sh"
work=$(mktemp -d)
chmod 755 "$work"
primary=$work/primary restored=$work/restored
cleanup() {
  "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$restored" -m immediate -w stop >/dev/null 2>&1 || true
  pg_stop "$primary"
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; for f in "$work"/*.log "$primary"/log/*.log; do [[ -f $f ]] && tail -20 "$f" >&2; done; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
mkdir -p "$work/wal" "$work/base"
[[ ${#AS_PG[@]} -eq 0 ]] || chown postgres "$work/wal" "$work/base" "$work"

# The primary, archiving every segment.
mkdir -p "$primary/postgres"
[[ ${#AS_PG[@]} -eq 0 ]] || chown postgres "$primary/postgres"
"${AS_PG[@]}" "$PG_BIN/initdb" -D "$primary/postgres" -U civil -A trust -E UTF8 --locale=C >/dev/null
cat >>"$primary/postgres/postgresql.conf" <<CONF
wal_level = replica
archive_mode = on
archive_command = '$ROOT/deploy/backup/archive-wal.sh $work/wal %p %f'
CONF
pg_start "$primary" "$port"
sql() { psql "host=127.0.0.1 port=$1 user=civil dbname=postgres" -v ON_ERROR_STOP=1 -qtAc "$2"; }

sql "$port" "CREATE TABLE payments (id int PRIMARY KEY, amount_fen bigint NOT NULL);
             INSERT INTO payments SELECT g, g * 100 FROM generate_series(1, 3) g"
backup=$("${AS_PG[@]}" "$ROOT/deploy/backup/base-backup.sh" "host=127.0.0.1 port=$port user=civil" \
  "$work/base" 2>"$work/backup.log" | tail -1) || fail "base backup"
[[ -f $backup/backup_label ]] || fail "no backup in $backup"

sql "$port" "INSERT INTO payments SELECT g, g * 100 FROM generate_series(4, 6) g"
# T: after the commit of rows 4–6, before anything that follows.
target=$(sql "$port" "SELECT clock_timestamp()")
sql "$port" "INSERT INTO payments SELECT g, g * 100 FROM generate_series(7, 9) g"
sql "$port" "DELETE FROM payments WHERE id = 1"
# Close the segment holding those commits and wait until the archive has it.
segment=$(sql "$port" "SELECT pg_walfile_name(pg_switch_wal())")
for _ in $(seq 1 100); do
  [[ -f $work/wal/$segment ]] && break
  sleep 0.1
done
[[ -f $work/wal/$segment ]] || fail "segment $segment never archived"
[[ $(sql "$port" "SELECT count(*) FROM payments") == 8 ]] || fail "primary does not hold 8 rows"

# Restore to T into a new data directory and start it.
"${AS_PG[@]}" "$ROOT/deploy/backup/restore-pitr.sh" "$backup" "$work/wal" "$target" "$restored" \
  >"$work/restore.log" || fail "restore-pitr"
rport=$(free_port)
"${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$restored" -l "$work/restored.log" -w -t 60 \
  -o "-p $rport -k $work -c listen_addresses=127.0.0.1 -c max_connections=200 -c archive_mode=off" start >/dev/null ||
  fail "restored cluster did not start"
for _ in $(seq 1 100); do
  [[ $(sql "$rport" "SELECT pg_is_in_recovery()" 2>/dev/null) == f ]] && break
  sleep 0.1
done
[[ $(sql "$rport" "SELECT pg_is_in_recovery()") == f ]] || fail "restored cluster still recovering"

rows=$(sql "$rport" "SELECT string_agg(id || ':' || amount_fen, ',' ORDER BY id) FROM payments")
[[ $rows == "1:100,2:200,3:300,4:400,5:500,6:600" ]] || fail "restored rows: $rows"
# Promoted: it takes writes on a timeline of its own; the primary is untouched.
sql "$rport" "INSERT INTO payments VALUES (10, 1000)"
[[ $(sql "$rport" "SELECT substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)") == 00000002 ]] ||
  fail "restored cluster is not on timeline 2"
[[ $(sql "$port" "SELECT count(*) FROM payments") == 8 ]] || fail "primary changed"
grep -q "recovery stopping before commit" "$work/restored.log" || fail "recovery did not stop at T"
echo "deploy_backup_pitr: restored exactly rows 1-6 as of $target"
