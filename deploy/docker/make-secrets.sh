#!/usr/bin/env bash
# Makes deploy/docker/secrets/ for docker-compose.yml once: the PII key (64 hex), the PostgreSQL
# password, Grafana's admin password, a development identity-provider key pair (jwt/idp.key signs
# tokens: `civilctl token --key deploy/docker/secrets/jwt/idp.key --kid idp --issuer civil-idp`),
# one service key pair per component, a self-signed TLS certificate for the gateway's HTTPS, and
# for the gRPC ports (mTLS between the components) a private CA with one certificate per
# component and the gateway's client certificate in grpc-tls/ (deploy/local/tls.sh). With a
# directory argument, the same files elsewhere: `make-secrets.sh deploy/k8s/overlays/dev/secrets`
# for the Kubernetes dev overlay. Existing files are kept (rotation: deploy/RUNBOOK.md). The
# directory is 0700; the files are readable by the containers' uid 10001.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-$here/secrets}
mkdir -p "$dir/jwt" "$dir/service-keys"
chmod 700 "$dir"
keep() { [[ -s $1 ]]; }
keep "$dir/pii.key" || openssl rand -hex 32 >"$dir/pii.key"
keep "$dir/pg_password" || openssl rand -hex 24 >"$dir/pg_password"
keep "$dir/grafana_admin_password" || openssl rand -hex 16 >"$dir/grafana_admin_password"
pair() {
  keep "$1.key" && return 0
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null
  openssl pkey -in "$1.key" -pubout -out "$1.pub"
}
pair "$dir/jwt/idp"
components=(assistance eldercare childwelfare governance socialorg affairs report exchange)
for component in "${components[@]}"; do
  pair "$dir/service-keys/$component"
done
bash "$here/../local/tls.sh" "$dir/grpc-tls" "${components[@]}"
# The gateway's TLS certificate (self-signed, for development; production's comes from the CA).
keep "$dir/tls.crt" || openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -days 365 -subj "/CN=gateway" -addext "subjectAltName=DNS:gateway,DNS:localhost" \
  -keyout "$dir/tls.key" -out "$dir/tls.crt" 2>/dev/null
# Bind-mounted as they are: readable by uid 10001 inside, the 0700 directory keeps others out.
find "$dir" -type f -exec chmod 644 {} +
echo "secrets in $dir"
