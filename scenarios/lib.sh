# Helpers for the scenario scripts: start/stop a real `rootward serve` and
# check AWS CLI results. Sourced, not run.

PASSED=0
FAILED=0
ROOTWARD_BIN=${ROOTWARD_BIN:-target/debug/rootward}

pass() { PASSED=$((PASSED + 1)); echo "  ok: $*"; }
fail() { FAILED=$((FAILED + 1)); echo "  FAILED: $*"; }

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
  if [ "$2" = "$3" ]; then pass "$1"; else fail "$1: expected [$2], got [$3]"; fi
}

# expect_error WHAT CODE COMMAND…: the command fails and its stderr names CODE.
expect_error() {
  local what=$1 code=$2; shift 2
  local err
  if err=$("$@" 2>&1 >/dev/null); then
    fail "$what: expected error $code, command succeeded"
  elif grep -q "($code)" <<<"$err"; then
    pass "$what ($code)"
  else
    fail "$what: expected $code, got: $err"
  fi
}

# start_server DATA_DIR: starts the server on a free port (with $SERVE_ARGS),
# sets AWS_ENDPOINT_URL.
start_server() {
  local data=$1
  local log="$data.log"
  # shellcheck disable=SC2086 # SERVE_ARGS: extra arguments, split on spaces.
  "$ROOTWARD_BIN" serve --listen 127.0.0.1:0 --data "$data" --account-id 111111111111 ${SERVE_ARGS:-} >"$log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    if grep -q '^listening on ' "$log"; then
      AWS_ENDPOINT_URL=$(sed -n 's/^listening on //p' "$log" | tail -n 1)
      export AWS_ENDPOINT_URL
      return 0
    fi
    sleep 0.1
  done
  echo "server did not start:"; cat "$log"; return 1
}

stop_server() {
  if [ -n "${SERVER_PID:-}" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  SERVER_PID=
}

summary() {
  echo "scenario: $PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
}
