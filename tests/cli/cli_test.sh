#!/usr/bin/env bash
# The command line as an operator meets it: refusals that say why and exit
# non-zero, and nothing left behind by a start that could not happen.
# Usage: cli_test.sh PATH_TO_JINGSAI
set -uo pipefail
JINGSAI=$1
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$WORK"' EXIT
FAILED=0
fail() { echo "FAIL: $*"; FAILED=1; }

# A port that is taken: the start fails before any database exists.
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True); time.sleep(60)' >"$WORK/port" &
for _ in $(seq 1 50); do [[ -s "$WORK/port" ]] && break; sleep 0.1; done
PORT=$(cat "$WORK/port")
env -u JINGSAI_ADMIN_PASSWORD "$JINGSAI" serve --db "$WORK/busy.db" --listen "127.0.0.1:$PORT" \
  >"$WORK/busy.log" 2>&1
status=$?
[[ $status -ne 0 ]] || fail "serve on a taken port exited 0"
[[ ! -e "$WORK/busy.db" ]] || fail "serve on a taken port created the database"
grep -q "cannot listen" "$WORK/busy.log" || fail "serve on a taken port did not say why: $(cat "$WORK/busy.log")"
! grep -q "初始密码" "$WORK/busy.log" || fail "serve on a taken port printed a first admin password"

# Zero or negative I/O threads are refused, not quietly taken as one.
for threads in 0 -1; do
  if "$JINGSAI" serve --db "$WORK/t.db" --listen 127.0.0.1:0 --threads "$threads" >"$WORK/t.log" 2>&1; then
    fail "--threads $threads was accepted"
  fi
done
[[ ! -e "$WORK/t.db" ]] || fail "a refused --threads created the database"

# A database backed up onto itself is refused at once (it used to wait for ever).
JINGSAI_ADMIN_PASSWORD=cli-test-password timeout 20 "$JINGSAI" serve --db "$WORK/live.db" \
  --listen 127.0.0.1:0 >"$WORK/live.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do grep -q "已启动" "$WORK/live.log" && break; sleep 0.1; done
kill "$SERVER"; wait "$SERVER" 2>/dev/null
timeout 10 "$JINGSAI" backup --db "$WORK/live.db" --to "$WORK/live.db" >"$WORK/self.log" 2>&1
status=$?
[[ $status -ne 0 && $status -ne 124 ]] || fail "backup onto itself: exit $status (124: it hung)"
grep -q "数据库本身" "$WORK/self.log" || fail "backup onto itself did not say why: $(cat "$WORK/self.log")"
timeout 30 "$JINGSAI" backup --db "$WORK/live.db" --to "$WORK/copy.db" >/dev/null 2>&1 ||
  fail "a plain backup failed"
timeout 60 "$JINGSAI" verify --db "$WORK/copy.db" >/dev/null 2>&1 || fail "the backup does not verify"

# A folder is no flow file.
"$JINGSAI" flow validate "$WORK" >"$WORK/dir.log" 2>&1
status=$?
[[ $status -eq 2 ]] || fail "flow validate of a folder: exit $status"
grep -q "目录" "$WORK/dir.log" || fail "flow validate of a folder did not say so: $(cat "$WORK/dir.log")"

[[ $FAILED -eq 0 ]] && echo "cli: all checks passed"
exit $FAILED
