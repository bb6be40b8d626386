#!/usr/bin/env bash
# PostgreSQL's archive_command: copies one WAL segment into the archive directory, durably
# (copy to a temporary name, fsync, rename), and never overwrites a different file of that name.
#
#   archive_command = '/opt/civil/deploy/backup/archive-wal.sh /backup/wal %p %f'
#
# Exit 0 only once the segment is safe: PostgreSQL keeps (and retries) a segment until then.
set -euo pipefail
archive=$1 path=$2 name=$3
target="$archive/$name"
if [[ -e $target ]]; then
  # Archived before (a retry after a crash between copy and report): fine if identical.
  cmp -s "$path" "$target" && exit 0
  echo "archive-wal: $target exists and differs" >&2
  exit 1
fi
cp "$path" "$target.tmp"
sync "$target.tmp"
mv "$target.tmp" "$target"
sync "$archive"
