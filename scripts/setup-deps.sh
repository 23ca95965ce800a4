#!/usr/bin/env bash
# Installs the Debian packages that building and testing Jingsai needs.
# Usage: scripts/setup-deps.sh [--test]
# Idempotent: does nothing when every package is already present. Runs as root
# (or through sudo when available).
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libsodium-dev libssl-dev libjemalloc-dev libcli11-dev
  curl
)
# --test: also what scripts/test.sh needs: chromium, a CJK font (without one
# Chinese renders as empty boxes) and node/npm when no `node` is on the PATH for
# the web app's browser tests; clang for fuzzing (libFuzzer comes with it).
if [ "${1:-}" = "--test" ]; then
  packages+=(chromium fonts-wqy-microhei clang-14 libclang-rt-14-dev)
  if ! command -v node > /dev/null; then packages+=(nodejs npm); fi
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
