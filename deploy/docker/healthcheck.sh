#!/bin/bash
# HEALTHCHECK of the images: a department or report answers grpc.health.v1 SERVING on the port of
# its CIVIL_<COMPONENT>_ADDR (civilctl health); the gateway answers 200 on /healthz of the port of
# CIVIL_GATEWAY_LISTEN (plain HTTP inside the container network; no curl in the image: bash's
# /dev/tcp).
set -euo pipefail
if [[ $CIVIL_COMPONENT == gateway ]]; then
  port=${CIVIL_GATEWAY_LISTEN##*:}
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf 'GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
  read -r _ status _ <&3
  [[ $status == 200 ]]
else
  variable="CIVIL_${CIVIL_COMPONENT^^}_ADDR"
  port=${!variable##*:}
  exec civilctl health "127.0.0.1:$port" --timeout-ms 2000
fi
