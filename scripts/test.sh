#!/usr/bin/env bash
# The test command: every Rust test (unit, engine tables, proptests, SDK
# integration), then the AWS CLI / boto3 scenarios and the console's browser
# walk (headless Chromium, scenarios/console.sh) against the release binary.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo test --workspace --locked

if ! command -v aws >/dev/null 2>&1 || ! python3 -c 'import boto3' 2>/dev/null; then
  python3 -m pip install --quiet --disable-pip-version-check awscli boto3
fi
# The scenarios drive the release binary, as an operator would run it.
cargo build --release --locked -p rootward --bin rootward
export ROOTWARD_BIN=target/release/rootward
status=0
for s in scenarios/*.sh; do
  [ "$s" = scenarios/lib.sh ] && continue
  bash "$s" || status=1
done
exit $status
