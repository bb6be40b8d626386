#!/usr/bin/env bash
# Prints the Debian packages holding the shared libraries the given binaries load (ldd, dpkg -S),
# one a line, sorted: what the runtime stage of the Dockerfile installs and nothing more.
set -euo pipefail
for binary in "$@"; do
  ldd "$binary" | awk '/=> \// {print $3} /^\s*\/lib/ {print $1}'
done | sort -u | while read -r lib; do
  real=$(readlink -f "$lib")
  dpkg -S "$lib" 2>/dev/null || dpkg -S "$real" 2>/dev/null || dpkg -S "/usr$lib" 2>/dev/null ||
    { echo "runtime-packages: no package holds $lib" >&2; exit 1; }
done | cut -d: -f1 | sort -u
