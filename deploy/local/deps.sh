#!/usr/bin/env bash
# Installs the Debian 12 packages the platform needs to build, test, run and benchmark, and only
# those that are missing. Runs apt-get as root (or through sudo). Starts no system service: a
# policy-rc.d denies service starts for the duration of the install, so Debian's own PostgreSQL
# cluster and Redis stay down; the platform runs private servers under ./var instead.
set -euo pipefail

PACKAGES=(
  # toolchain
  g++ cmake ninja-build pkg-config ccache make git curl openssl
  # libraries
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libpqxx-dev libhiredis-dev prometheus-cpp-dev libgtest-dev libgmock-dev libabsl-dev
  libboost-dev libssl-dev nlohmann-json3-dev libspdlog-dev libjemalloc2
  # google/api/annotations.proto and http.proto (used as an include path, never copied)
  golang-github-grpc-ecosystem-grpc-gateway-dev
  # servers the platform and its tests start privately
  postgresql-15 redis-server
  # promtool checks the /metrics exposition in the end-to-end test, and deploy/prometheus's
  # configuration and rules (tests/deploy)
  prometheus
  # tests/deploy: the compose file, Kubernetes objects and rules are read with Python's yaml;
  # Debian's docker-compose (1.29, Python) validates the compose file without a Docker engine
  python3 python3-yaml docker-compose
  # lint
  clang-format cppcheck
  # civilctl
  libcli11-dev
  # the exchange's subscription notifications (webhooks over HTTPS)
  libcurl4-openssl-dev
  # the work summary as a Word file (format=docx): Markdown converted by pandoc
  pandoc
  # gateway: gzip responses; HTTP/2 to the backends (nghttp2); libFuzzer target (clang, ASan +
  # UBSan runtime)
  zlib1g-dev libnghttp2-dev clang libclang-rt-14-dev
  # the web console's browser test (tests/console): playwright-core from npm drives Debian's
  # Chromium (no browser is downloaded), with a Chinese font for its screenshots
  chromium fonts-wqy-microhei
)
if [[ "${CIVIL_DEPS_BENCH:-0}" == 1 ]]; then
  PACKAGES+=(wrk nghttp2-client)
  # ../shared/bench/gateway-peer: grpc-gateway v1 (Go) as the peer of the gateway
  PACKAGES+=(golang-go golang-grpc-gateway golang-github-grpc-ecosystem-grpc-gateway-dev
             golang-google-grpc-dev golang-goprotobuf-dev golang-google-genproto-dev bc time)
fi

# tests/deploy renders deploy/k8s with `kubectl kustomize`: Debian's kubernetes-client, unless a
# kubectl is there already (another package's; both install /usr/bin/kubectl).
command -v kubectl >/dev/null || PACKAGES+=(kubernetes-client)

# Swagger UI for the gateway's /docs and the web console's packages (console/) come from the npm
# registry at build time; a machine without Node.js gets Debian's npm (one that has Node.js from
# elsewhere keeps it). The console needs Node.js 20 or later (Vite 7, playwright-core): with
# Debian 12's own Node.js 18 the build goes on without it and says so.
command -v npm >/dev/null || PACKAGES+=(npm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi
echo "deps: installing ${missing[*]}"

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  SUDO=(sudo)
fi

policy=/usr/sbin/policy-rc.d
placed_policy=0
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
  "${SUDO[@]}" chmod 755 "$policy"
  placed_policy=1
fi
# Returns 0 whether or not it removes anything: an EXIT trap's status becomes the script's.
cleanup() { if [[ $placed_policy == 1 ]]; then "${SUDO[@]}" rm -f "$policy"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done"
