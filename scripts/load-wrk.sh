#!/usr/bin/env bash
# Server-side load figures with a light client: wrk (Debian package `wrk`)
# replays one presigned sts:GetCallerIdentity URL (SigV4 query form, POST as
# botocore presigns query-protocol calls, verified
# in full on every request, and recorded in the trail) against the release
# `rootward serve`, beside the health check of the same server (the same
# axum stack with no SigV4) as the baseline. The SDK-driven benchmark
# (`cargo bench -p rootward-server --bench load`) measures whole calls, but
# there the SDK client takes most of the two cores.
#
# wrk is closed-loop: it sends the next request as soon as one is answered, so
# it always saturates the machine and its p99 is that of a saturated machine.
# The latency aim is also measured open-loop, at a fixed RATE, with
# `crates/server/examples/open_loop.rs` (latency counted from when each
# request was due, as wrk2 does), against the same two targets.
#
#   bash scripts/load-wrk.sh [SECONDS] [CONNECTIONS] [RATE]
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-10}
CONNS=${2:-16}
RATE=${3:-20000}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 2; }
BIN=${ROOTWARD_BIN:-target/release/rootward}
[ -x "$BIN" ] || cargo build --release --locked -p rootward --bin rootward
OPEN=target/release/examples/open_loop
[ -x "$OPEN" ] || cargo build --release --locked -p rootward-server --example open_loop
WORK=$(mktemp -d)
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
export ROOTWARD_BOOTSTRAP_ACCESS_KEY_ID=AKIALOADWRK000000001 ROOTWARD_BOOTSTRAP_SECRET_ACCESS_KEY=loadWrkSecret000000000000000000000000000
"$BIN" serve --listen 127.0.0.1:0 --data "$WORK/data" --account-id 111111111111 >"$WORK/log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do grep -q '^listening on ' "$WORK/log" && break; sleep 0.1; done
URL=$(sed -n 's/^listening on //p' "$WORK/log")
SIGNED=$(AWS_ACCESS_KEY_ID=$ROOTWARD_BOOTSTRAP_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY=$ROOTWARD_BOOTSTRAP_SECRET_ACCESS_KEY \
  AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null python3 - "$URL" <<'PY'
import sys, boto3
sts = boto3.client("sts", endpoint_url=sys.argv[1], region_name="us-east-1")
print(sts.generate_presigned_url("get_caller_identity", ExpiresIn=900))
PY
)
# botocore presigns query-protocol operations for POST (spec 07 §7.3).
curl -sf -X POST "$SIGNED" | grep -q '<Arn>arn:aws:iam::111111111111:user/admin</Arn>' || { echo "presigned call failed"; exit 1; }
printf 'wrk.method = "POST"\n' >"$WORK/post.lua"
run() { wrk -t1 -c"$CONNS" -d"${SECS}s" --latency ${2:+-s "$2"} "$1" | awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad=$4} END {printf "%10s req/s  p50 %8s  p99 %8s  non-2xx %s\n", rps, p50, p99, (bad==""?0:bad)}'; }
echo "wrk, $CONNS connections, ${SECS}s each, release build, same run:"
printf "%-44s" "baseline: GET /_rootward/health (no SigV4)"; run "$URL/_rootward/health"
printf "%-44s" "rootward: presigned sts:GetCallerIdentity"; run "$SIGNED" "$WORK/post.lua"
echo "open loop at $RATE req/s over $CONNS connections, ${SECS}s each, same run:"
printf "%-44s" "baseline: GET /_rootward/health (no SigV4)"; "$OPEN" -m GET -r "$RATE" -c "$CONNS" -d "$SECS" "$URL/_rootward/health"
printf "%-44s" "rootward: presigned sts:GetCallerIdentity"; "$OPEN" -m POST -r "$RATE" -c "$CONNS" -d "$SECS" "$SIGNED"
