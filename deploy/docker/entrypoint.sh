#!/bin/bash
# Entry point of every image: secrets come as files (Docker and Kubernetes secrets). For each
# variable NAME_FILE in the environment, NAME is set to the file's content (trailing newline
# dropped), so CIVIL_PII_KEY_FILE=/run/secrets/pii_key gives CIVIL_PII_KEY; then the component's
# binary runs with the arguments given (the gateway's flags), or `civilctl ...` when asked.
set -euo pipefail
while IFS='=' read -r name path; do
  [[ $name == *_FILE && -n $path ]] || continue
  target=${name%_FILE}
  [[ -r $path ]] || { echo "entrypoint: $name: cannot read $path" >&2; exit 2; }
  export "$target=$(<"$path")"
  unset "$name"
done < <(env)
case "${1:-}" in
  civilctl) shift; exec civilctl "$@" ;;
esac
if [[ $CIVIL_COMPONENT == gateway ]]; then
  exec gateway --descriptor-set /usr/local/share/civil/civil.desc \
    --docs-dir /usr/local/share/civil/docs "$@"
fi
exec "${CIVIL_COMPONENT}_server" "$@"
