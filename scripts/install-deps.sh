#!/usr/bin/env bash
# Installs the Debian 12 packages dualuse needs to build, test and run.
# Idempotent: does nothing when everything is present. Run as root.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config clang lld libclang-rt-14-dev clang-format
  libicu-dev libsqlite3-dev nlohmann-json3-dev libpugixml-dev libcli11-dev libcpp-httplib-dev
  libmicrohttpd-dev
  libpqxx-dev libfmt-dev libspdlog-dev libssl-dev libcurl4-openssl-dev libargon2-dev
  libgtest-dev libgmock-dev libbenchmark-dev iso-codes python3 python3-jsonschema
  postgresql postgresql-contrib chromium wrk
  xz-utils nginx openssl systemd
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js (with npm) drives the browser tests; the machine image may ship its own build.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
