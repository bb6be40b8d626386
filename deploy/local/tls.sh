#!/usr/bin/env bash
# A private CA and the certificates for TLS on the platform's gRPC ports (services/common/tls.h),
# for `CIVIL_TLS=1 make run`, the tests and the deployments' development secrets.
# Usage: tls.sh DIR [COMPONENT...]
#
# Writes into DIR (mode 0700; keys 0600), once — existing files are kept:
#   ca.pem, ca.key          the CA; every service trusts it (CIVIL_TLS_CA, CIVIL_TLS_CLIENT_CA)
#   service.pem, service.key  the services' certificate, for serving and for calling each other
#                           (serverAuth + clientAuth; SAN 127.0.0.1, ::1, localhost)
#   gateway.pem, gateway.key  the gateway's client certificate (clientAuth)
#   COMPONENT.pem, .key     with component names (deploy/docker/make-secrets.sh): one certificate
#                           per service, serverAuth + clientAuth, SAN DNS:COMPONENT (the name its
#                           callers dial, e.g. assistance:50051), localhost and 127.0.0.1 (its
#                           own health check)
# Production issues the per-service certificates from the bureau's CA (cert-manager in
# deploy/k8s/overlays/prod, deploy/RUNBOOK.md); the variables are the same.
set -euo pipefail
dir=${1:?usage: tls.sh DIR}
mkdir -p "$dir"
chmod 700 "$dir"
cd "$dir"
umask 077
days=825

if [[ ! -s ca.pem ]]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key \
    -out ca.pem -days "$days" -subj "/O=Civil Affairs Platform/CN=civil development CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    2>/dev/null
fi

# issue NAME CN EXTENDED-KEY-USAGE [SAN]
issue() {
  local name=$1 cn=$2 eku=$3 san=${4:-}
  [[ -s $name.pem ]] && return 0
  local ext
  ext=$(mktemp)
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature"
    echo "extendedKeyUsage=$eku"
    [[ -n $san ]] && echo "subjectAltName=$san"
  } >"$ext"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$name.key" \
    -out "$name.csr" -subj "/O=Civil Affairs Platform/CN=$cn" 2>/dev/null
  openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days "$days" \
    -extfile "$ext" -out "$name.pem" 2>/dev/null
  rm -f "$name.csr" "$ext"
}
issue service civil-services serverAuth,clientAuth "IP:127.0.0.1,IP:::1,DNS:localhost"
issue gateway civil-gateway clientAuth
for component in "${@:2}"; do
  [[ $component =~ ^[a-z][a-z0-9-]*$ && $component != service && $component != gateway ]] ||
    { echo "tls.sh: bad component name: $component" >&2; exit 2; }
  issue "$component" "civil-$component" serverAuth,clientAuth \
    "DNS:$component,DNS:localhost,IP:127.0.0.1,IP:::1"
done
chmod 600 ./*.key
