#!/usr/bin/env bash
# Restores a base backup into a NEW data directory and recovers it from the WAL archive up to a
# point in time, then promotes it (a new timeline; the old cluster is left as it was).
#
#   restore-pitr.sh /backup/base/20260101T020000Z /backup/wal '2026-01-01 10:15:00+08' /var/lib/postgresql/15/restored
#
# Then start PostgreSQL on the new directory (pg_ctl -D … start): it replays the archive to the
# last transaction committed at or before the target, and opens for writes. Run as the user that
# owns PostgreSQL's data, with settings such as max_connections no lower than the old cluster's
# (recovery refuses otherwise). deploy/RUNBOOK.md "Restore to a point in time".
set -euo pipefail
backup=$1 archive=$2 target=$3 datadir=$4
[[ -f $backup/backup_label ]] || { echo "restore-pitr: $backup is no base backup" >&2; exit 1; }
[[ ! -e $datadir || -z $(ls -A "$datadir") ]] ||
  { echo "restore-pitr: $datadir is not empty" >&2; exit 1; }
mkdir -p "$datadir"
chmod 700 "$datadir"
cp -a "$backup/." "$datadir/"
rm -f "$datadir/postmaster.pid" "$datadir/backup_manifest"
cat >>"$datadir/postgresql.auto.conf" <<CONF
# restore-pitr.sh $(date -u +%FT%TZ): recover from $archive up to $target
restore_command = 'cp $archive/%f %p'
recovery_target_time = '$target'
recovery_target_inclusive = on
recovery_target_action = 'promote'
CONF
touch "$datadir/recovery.signal"
echo "restore-pitr: $datadir recovers to $target when started"
