#!/usr/bin/env bash
# A base backup of the whole cluster with pg_basebackup: plain format, the WAL needed to make it
# consistent streamed along (the backup restores on its own), a SHA-256 manifest verified with
# pg_verifybackup. Point-in-time recovery beyond the backup needs the WAL archive
# (archive-wal.sh). Prints the backup's directory.
#
#   base-backup.sh "host=db port=5432 user=civil" /backup/base
set -euo pipefail
conninfo=$1 root=$2
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
dir="$root/$(date -u +%Y%m%dT%H%M%SZ)"
[[ ! -e $dir ]] || { echo "base-backup: $dir exists" >&2; exit 1; }
mkdir -p "$root"
"$PG_BIN/pg_basebackup" -d "$conninfo" -D "$dir" -Fp -X stream --checkpoint=fast \
  --manifest-checksums=SHA256 --label="civil $(basename "$dir")"
"$PG_BIN/pg_verifybackup" -q "$dir"
echo "$dir"
