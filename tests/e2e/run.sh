#!/bin/sh
# Runs the browser tests: installs playwright-core (the lock file's version)
# when missing, then each test file in turn (each starts its own server).
# JINGSAI_BIN names the built server; JINGSAI_E2E_ARTIFACTS where screenshots go.
set -eu
cd "$(dirname "$0")"
wanted=$(sed -n 's/.*"playwright-core": "\([0-9.]*\)".*/\1/p' package.json)
installed=$(sed -n 's/.*"version": "\([0-9.]*\)".*/\1/p' node_modules/playwright-core/package.json 2>/dev/null || true)
if [ "$installed" != "$wanted" ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
status=0
for file in *.test.js; do
  node --test "$file" || status=1
done
exit $status
