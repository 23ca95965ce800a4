#!/usr/bin/env bash
# Builds the libFuzzer targets with clang into ./build-fuzz and runs each for
# SECONDS (default 60) from its seed corpus in fuzz/corpus/<target>/. Fails
# when a target crashes; the input that did it is left in build-fuzz/.
# Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
bash scripts/setup-deps.sh --test
targets=(flow_definition_fuzzer file_type_fuzzer request_decoding_fuzzer)
# Warnings are errors in the g++ build; clang's own warnings do not stop fuzzing.
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++-14 -DJINGSAI_BUILD_TESTS=OFF -DJINGSAI_FUZZ=ON \
  -DJINGSAI_WERROR=OFF > build-fuzz.log 2>&1 || {
  cat build-fuzz.log
  exit 1
}
cmake --build build-fuzz --parallel "$(nproc)" --target "${targets[@]}"
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
status=0
for target in "${targets[@]}"; do
  name="${target%_fuzzer}"
  # The run works on a copy, so that what it finds does not change the repository.
  work="build-fuzz/corpus/$name"
  mkdir -p "$work" "build-fuzz/crashes/$name"
  cp -n fuzz/corpus/"$name"/* "$work"/ 2>/dev/null || true
  log="build-fuzz/$name.log"
  if ./build-fuzz/fuzz/"$target" -max_total_time="$seconds" -timeout=25 -max_len=4096 \
      -artifact_prefix="build-fuzz/crashes/$name/" -print_final_stats=1 "$work" > "$log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    echo "fuzz $name: ${seconds}s, $runs executions, no crash"
  else
    echo "fuzz $name: FAILED (see $log and build-fuzz/crashes/$name/)"
    tail -40 "$log"
    status=1
  fi
done
exit $status
