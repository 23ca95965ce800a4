#!/usr/bin/env bash
# Installs the Debian packages that building and testing Jingsai needs.
# Idempotent: does nothing when every package is already present. Runs as root
# (or through sudo when available).
# --test also installs what the browser tests of the web app need: chromium, a
# CJK font (without one Chinese renders as empty boxes) and node/npm when no
# `node` is on the PATH.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libsodium-dev libcli11-dev
  curl
)
if [ "${1:-}" = "--test" ]; then
  packages+=(chromium fonts-wqy-microhei)
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
