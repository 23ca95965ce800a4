#!/usr/bin/env bash
# The benchmark (bench/README.md): builds in Release, then in one run on this
# machine measures the ceilings and the server, and prints every figure and
# the ratios.
#
#   bench/run.sh            quick: 5 s phases, scale run with 100,000 reports
#   bench/run.sh --full     10 s phases, scale run with 1,000,000 reports
# Options: --connections N (32), --seconds S, --reports N, --repeat K (the
# throughput phases K times, to see the noise), --no-scale, --no-normal.
# BUILD_DIR=... reuses a configured build (default: build-bench, Release).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD_DIR:-$ROOT/build-bench}
CONNECTIONS=32
SECONDS_PER_PHASE=5
REPORTS=100000
REPEAT=1
SCALE=1
NORMAL=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --full) SECONDS_PER_PHASE=10; REPORTS=1000000; shift ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --seconds) SECONDS_PER_PHASE=$2; shift 2 ;;
    --reports) REPORTS=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --no-scale) SCALE=0; shift ;;
    --no-normal) NORMAL=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

if [[ ! -f "$BUILD/build.ninja" ]]; then
  # Warnings are not errors here: GCC 12 at -O3 reports a false -Wrestrict in std::string
  # concatenation (engine/flow_parse.cpp); the RelWithDebInfo build of CI keeps -Werror.
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DJINGSAI_BUILD_TESTS=OFF \
    -DJINGSAI_BUILD_BENCH=ON -DJINGSAI_WERROR=OFF >/dev/null
fi
cmake --build "$BUILD" --target jingsai jingsai-load jingsai-sqlite-ceiling jingsai-scale | tail -1

# On the disk the server would use (not a tmpfs, where fsync costs nothing).
WORK=$(mktemp -d "${BENCH_WORK_DIR:-/var/tmp}/jingsai-bench.XXXXXX")
PORT=$((18000 + RANDOM % 2000))
ADMIN_PASSWORD=bench-admin-password
SERVER_PID=
stop_server() {
  if [[ -n "$SERVER_PID" ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
  fi
}
trap 'stop_server; rm -rf "$WORK"' EXIT

# start_server DB SYNCHRONOUS [more serve options]
start_server() {
  JINGSAI_ADMIN_PASSWORD=$ADMIN_PASSWORD "$BUILD/api/jingsai" serve --db "$1" \
    --listen "127.0.0.1:$PORT" --synchronous "$2" "${@:3}" >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "the server did not start:" >&2
  tail -20 "$WORK/server.log" >&2
  exit 1
}

rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$SERVER_PID/status"; }

result() { sed -n "s/^RESULT phase=$1 .*$2=\([0-9.]*\).*/\1/p" | tail -1; }

# ceiling SYNCHRONOUS: runs jingsai-sqlite-ceiling, prints it, sets CEILING.
ceiling() {
  local output
  output=$("$BUILD/bench/jingsai-sqlite-ceiling" --db "$WORK/ceiling.db" --synchronous "$1" \
    --seconds "$SECONDS_PER_PHASE")
  echo "$output"
  CEILING=$(result sqlite-ceiling rate <<<"$output")
}

LOAD=("$BUILD/bench/jingsai-load" --port "$PORT" --admin-password "$ADMIN_PASSWORD"
  --connections "$CONNECTIONS" --seconds "$SECONDS_PER_PHASE")

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
for round in $(seq 1 "$REPEAT"); do
  echo
  echo "== round $round: synchronous=FULL (the default: an answered step survives power loss)"
  ceiling FULL
  start_server "$WORK/full-$round.db" FULL
  "${LOAD[@]}" --server-pid "$SERVER_PID" --sqlite-ceiling "$CEILING"
  echo "server resident memory: $(rss_mb) MB"
  stop_server
done

if [[ $NORMAL == 1 ]]; then
  echo
  echo "== secondary: synchronous=NORMAL (WAL; a power loss may drop the last steps)"
  ceiling NORMAL
  start_server "$WORK/normal.db" NORMAL
  "${LOAD[@]}" --server-pid "$SERVER_PID" --phases writes --sqlite-ceiling "$CEILING"
  stop_server
fi

if [[ $SCALE == 1 ]]; then
  echo
  echo "== scale: $REPORTS reports over 13 counties and 3000 units"
  "$BUILD/bench/jingsai-scale" --db "$WORK/scale.db" --reports "$REPORTS" --units 3000
  start_server "$WORK/scale.db" FULL
  "$BUILD/bench/jingsai-load" --port "$PORT" --phases scale --scale-reports "$REPORTS"
  echo "server resident memory after the scale reads: $(rss_mb) MB"
  stop_server
  # The probes ask for the same pages again and again, so the inboxes above
  # are answered from kept pages after the first request; here every inbox
  # is made anew, as after a change to what it shows.
  echo
  echo "== scale again, inbox pages not kept (--inbox-cache-mb 0)"
  start_server "$WORK/scale.db" FULL --inbox-cache-mb 0
  "$BUILD/bench/jingsai-load" --port "$PORT" --phases scale --scale-reports "$REPORTS"
  stop_server
fi
