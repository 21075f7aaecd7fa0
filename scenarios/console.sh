#!/usr/bin/env bash
# The web console in a real browser: `rootward serve --demo`, two
# `rootward console` processes (the Breaking Glass operator, and an
# audit-only operator), one headless Chromium driven over WebDriver
# (Python selenium) through the walk of issue 16. Screenshots of every step
# go to $ROOTWARD_SHOTS (default target/console-shots).
set -euo pipefail
cd "$(dirname "$0")/.."
source scenarios/lib.sh

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "installing chromium and chromium-driver"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
if ! python3 -c 'import selenium' 2>/dev/null; then
  python3 -m pip install --quiet --disable-pip-version-check selenium
fi

WORK=$(mktemp -d)
SHOTS=${ROOTWARD_SHOTS:-target/console-shots}
mkdir -p "$SHOTS"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

"$ROOTWARD_BIN" serve --listen 127.0.0.1:0 --data "$WORK/data" --demo >"$WORK/serve.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 150); do grep -q '^listening on ' "$WORK/serve.log" && break; sleep 0.1; done
grep -q '^listening on ' "$WORK/serve.log" || { cat "$WORK/serve.log"; exit 1; }

echo "== console walk (headless Chromium over WebDriver)"
set +e
ROOTWARD_BIN="$ROOTWARD_BIN" WORK="$WORK" SHOTS="$SHOTS" python3 scenarios/console_walk.py
status=$?
set -e
exit $status
