#!/usr/bin/env bash
# Installs what is missing, then configures and builds into ./build.
# Usage: scripts/build.sh [extra cmake -D options...]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" > build.log 2>&1 || {
  cat build.log
  exit 1
}
cmake --build build --parallel "$(nproc)"
