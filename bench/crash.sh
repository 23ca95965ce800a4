#!/usr/bin/env bash
# The long crash-consistency run: kills the real server with SIGKILL ROUNDS
# times (default 200) under concurrent clients and checks every acknowledged
# step after each restart. Builds into ./build-test (sanitized, as test.sh
# does) unless BUILD_DIR names another build with tests.
# Usage: bench/crash.sh [ROUNDS] [--seed S] [--clients C] [--keep]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-200}"
shift || true
build="${BUILD_DIR:-build-test}"
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJINGSAI_BUILD_TESTS=ON \
    -DJINGSAI_SANITIZE=ON
fi
cmake --build "$build" --target jingsai crash_test
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}"
start=$(date +%s)
# Shorter rounds than CI's keep the database from growing without bound over
# hundreds of rounds; a backup every 10 rounds.
"$build/tests/crash/crash_test" --server "$build/api/jingsai" --rounds "$rounds" \
  --kill-ms 50-700 --backup-every 10 "$@"
echo "crash run took $(($(date +%s) - start)) s"
