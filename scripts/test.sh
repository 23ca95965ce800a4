#!/usr/bin/env bash
# Builds Jingsai with its tests under AddressSanitizer and UndefinedBehaviorSanitizer
# into ./build-test (./build, used by run.sh, stays unsanitized), runs every test
# suite (CTest, including a short crash-consistency run), then a short fuzz run.
# FUZZ_SECONDS (default 20) is how long each fuzz target runs; 0 skips fuzzing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-deps.sh --test
cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJINGSAI_BUILD_TESTS=ON \
  -DJINGSAI_SANITIZE=ON -DJINGSAI_BUILD_BENCH=OFF > build-test.log 2>&1 || {
  cat build-test.log
  exit 1
}
cmake --build build-test --parallel "$(nproc)"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
(cd build-test && ctest --output-on-failure --parallel "$(nproc)" --timeout 600)
if [ "${FUZZ_SECONDS:-20}" != "0" ]; then
  bash scripts/fuzz.sh "${FUZZ_SECONDS:-20}"
fi
