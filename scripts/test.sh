#!/usr/bin/env bash
# The test command: every Rust test (unit, engine tables, proptests, SDK
# integration), then the AWS CLI / boto3 scenarios against the built binary.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo test --workspace --locked

if ! command -v aws >/dev/null 2>&1 || ! python3 -c 'import boto3' 2>/dev/null; then
  python3 -m pip install --quiet --disable-pip-version-check awscli boto3
fi
cargo build --locked -p rootward --bin rootward
status=0
for s in scenarios/*.sh; do
  [ "$s" = scenarios/lib.sh ] && continue
  bash "$s" || status=1
done
exit $status
