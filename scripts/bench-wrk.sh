#!/usr/bin/env bash
# The endpoint's throughput and latency beside a baseline from the same run
# (issue 15): wrk (Debian package `wrk`, 1 thread) replays one
# botocore-signed request per call against the release `rootward serve`, and
# the same request (signed for its host) against a bare axum handler that only
# verifies SigV4 (crates/server/examples/bare_verify.rs). Each server is
# stopped after its last target, so one's background work never lands on the
# other's measurement. Prints a table of req/s, p50, p99 and the ratio to the
# baseline, AssumeRole at one connection, then the server's resident memory
# before and after 100,000 AssumeRole calls and as many again
# (RSS_CALLS=0 skips that part).
#
# ROUNDS (default 3) alternates the two servers: each round runs the four
# calls against the baseline, then against rootward (on the same data, which
# keeps its trail from round to round). The table shows each call's median
# round (rootward's and the baseline's medians, and the ratio of the two),
# and the ratio of every round: on a shared 2-core machine the same server's
# req/s moves by a tenth or more from one minute to the next, and a single
# pass let that noise decide a ratio.
#
#   bash scripts/bench-wrk.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-10}
CONNS=${2:-16}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 2; }
python3 -c 'import boto3' 2>/dev/null || python3 -m pip install --quiet boto3
BIN=${ROOTWARD_BIN:-target/release/rootward}
[ -x "$BIN" ] || cargo build --release --locked -p rootward --bin rootward
BASE=target/release/examples/bare_verify
[ -x "$BASE" ] || cargo build --release --locked -p rootward-server --example bare_verify
WORK=$(mktemp -d)
PID=
trap 'kill $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
export ROOTWARD_BOOTSTRAP_ACCESS_KEY_ID=AKIABENCHWRK00000001 ROOTWARD_BOOTSTRAP_SECRET_ACCESS_KEY=benchWrkSecret000000000000000000000000000

start() { # LOG COMMAND… : starts a server, sets PID and URL
  local log=$1; shift
  "$@" >"$log" 2>&1 &
  PID=$!
  for _ in $(seq 1 200); do grep -q '^listening on ' "$log" && break; sleep 0.05; done
  URL=$(sed -n 's/^listening on //p' "$log")
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=; }
run() { # URL LUA → "rps p50 p99 non2xx"
  wrk -t1 -c"${CONNS}" -d"${SECS}s" --latency -s "$2" "$1" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ {rps=$2} /^ +50%/ {p50=ms($2)} /^ +99%/ {p99=ms($2)} /Non-2xx/ {bad=$4}
    END {printf "%.0f %.2f %.2f %d\n", rps, p50, p99, (bad==""?0:bad)}'
}

start "$WORK/setup.log" "$BIN" serve --listen 127.0.0.1:0 --data "$WORK/data" --account-id 111111111111
KEYS=$(python3 scripts/bench/setup.py "$URL" "$WORK")
stop

ROUNDS=${ROUNDS:-3}
CALLS="GetCallerIdentity ListUsers GetBucketPolicy AssumeRole"
declare -A B R
for round in $(seq 1 "$ROUNDS"); do
  start "$WORK/base.log" "$BASE" 127.0.0.1:0 $KEYS
  python3 scripts/bench/setup.py --sign "$WORK" "$URL" base
  for t in $CALLS; do B[$t]+="$(run "$URL" "$WORK/base-$t.lua");"; done
  stop
  start "$WORK/rootward.log" "$BIN" serve --listen 127.0.0.1:0 --data "$WORK/data" --account-id 111111111111
  python3 scripts/bench/setup.py --sign "$WORK" "$URL" rootward
  for t in $CALLS; do R[$t]+="$(run "$URL" "$WORK/rootward-$t.lua");"; done
  [ "$round" = "$ROUNDS" ] || stop
done
median() { # "rps p50 p99 bad;…" → the round with the median req/s
  tr ';' '\n' <<<"$1" | sed '/^$/d' | sort -n | awk '{r[NR]=$0} END {print r[int((NR+1)/2)]}'
}
rss() { awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' /proc/$PID/status; }
RSS=$(rss)
# The two writes at one connection as well.
A1=$(CONNS=1 run "$URL" "$WORK/rootward-AssumeRole.lua")
# Memory under a fleet job: AssumeRole until 100,000 answers, twice; a
# session stores nothing, so the resident size must stay flat.
if [ "${RSS_CALLS:-100000}" -gt 0 ]; then
  { cat "$WORK/rootward-AssumeRole.lua"; cat <<LUA
local n = 0
response = function(status, headers, body)
  n = n + 1
  if n >= ${RSS_CALLS:-100000} then os.exit(0) end
end
LUA
  } >"$WORK/rss.lua"
  RSS0=$(rss)
  # (wrk sleeps out -d even after a thread stops: the script exits instead)
  wrk -t1 -c16 -d600s -s "$WORK/rss.lua" "$URL" >/dev/null
  RSS1=$(rss)
  wrk -t1 -c16 -d600s -s "$WORK/rss.lua" "$URL" >/dev/null
  RSS2=$(rss)
fi
stop

echo "wrk -t1 -c$CONNS -d${SECS}s, $ROUNDS rounds, release build, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores"
printf '| call | rootward req/s | p50 ms | p99 ms | baseline req/s | p50 ms | p99 ms | ratio | ratio per round |\n|---|---|---|---|---|---|---|---|---|\n'
for t in $CALLS; do
  read -r rr rp50 rp99 _ <<<"$(median "${R[$t]}")"
  read -r br bp50 bp99 _ <<<"$(median "${B[$t]}")"
  per=""
  IFS=';' read -r -a rs <<<"${R[$t]}"
  IFS=';' read -r -a bs <<<"${B[$t]}"
  for i in "${!rs[@]}"; do
    read -r x _ _ rbad <<<"${rs[$i]}"
    read -r y _ _ bbad <<<"${bs[$i]}"
    [ "$rbad" = 0 ] || echo "warning: $t: $rbad non-2xx answers from rootward" >&2
    [ "$bbad" = 0 ] || echo "warning: $t: $bbad non-2xx answers from the baseline" >&2
    per+="$(printf '%.2f' "$(echo "$x / $y" | bc -l)") "
  done
  printf '| %s | %s | %s | %s | %s | %s | %s | %.2f | %s|\n' "$t" "$rr" "$rp50" "$rp99" "$br" "$bp50" "$bp99" "$(echo "$rr / $br" | bc -l)" "$per"
done
read -r ar ap50 ap99 abad <<<"$A1"
echo "AssumeRole at 1 connection: $ar req/s, p50 $ap50 ms, p99 $ap99 ms"
echo "rootward RSS after the table: $RSS"
[ -z "${RSS0:-}" ] || echo "RSS before AssumeRole x ${RSS_CALLS:-100000}: $RSS0; after: $RSS1; after as many again: $RSS2"
