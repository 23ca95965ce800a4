#!/usr/bin/env bash
# Builds Jingsai with its tests and runs every test suite (CTest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-deps.sh --test
bash scripts/build.sh -DJINGSAI_BUILD_TESTS=ON
cd build
ctest --output-on-failure --parallel "$(nproc)" --timeout 600
