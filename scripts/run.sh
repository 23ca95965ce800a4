#!/usr/bin/env bash
# Builds Jingsai and starts the server on 127.0.0.1:8080 with ./jingsai.db.
# Arguments are passed to `jingsai serve` (e.g. --demo, --listen 127.0.0.1:9000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh -DJINGSAI_BUILD_TESTS=OFF -DJINGSAI_BUILD_BENCH=OFF
exec ./build/api/jingsai serve "$@"
