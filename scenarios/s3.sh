#!/usr/bin/env bash
# Scenario: Amazon S3 with the real AWS CLI and boto3 — make a bucket, copy a
# file up and down, list, lock the bucket with a deny-all policy and see the
# denial, read the policy back, remove it, and a kill -9 restart. (The
# AssumeRoot unlock with the CLI belongs to the root-access scenario.)
set -uo pipefail
cd "$(dirname "$0")/.."
. scenarios/lib.sh

WORK=$(mktemp -d)
trap 'stop_server; rm -rf "$WORK"' EXIT
export AWS_ACCESS_KEY_ID=AKIASCENARIOADMIN001 AWS_SECRET_ACCESS_KEY=scenarioAdminSecret0123456789abcdefghij
export ROOTWARD_BOOTSTRAP_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID ROOTWARD_BOOTSTRAP_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null

echo "== s3 scenario (AWS CLI: $(aws --version 2>&1))"
start_server "$WORK/data"

expect_eq "mb" "make_bucket: scenario-bucket" "$(aws s3 mb s3://scenario-bucket 2>&1)"
expect_error "bucket name taken by myself elsewhere" BucketAlreadyOwnedByYou \
  aws s3api create-bucket --bucket scenario-bucket --region us-west-2 --create-bucket-configuration LocationConstraint=us-west-2
aws s3api create-bucket --bucket scenario-ireland --create-bucket-configuration LocationConstraint=eu-west-1 >/dev/null \
  && pass "us-east-1 makes a bucket in the constraint's region" || fail "us-east-1 makes a bucket in the constraint's region"
expect_eq "its location" "eu-west-1" "$(aws s3api get-bucket-location --bucket scenario-ireland --query LocationConstraint --output text)"
aws s3api delete-bucket --bucket scenario-ireland --region eu-west-1
expect_error "eu-west-1 without a constraint" IllegalLocationConstraintException \
  aws s3api create-bucket --bucket scenario-nowhere --region eu-west-1
expect_error "a made-up constraint" InvalidLocationConstraint \
  aws s3api create-bucket --bucket scenario-nowhere --create-bucket-configuration LocationConstraint=nowhere-1
printf 'hello from the scenario\n' >"$WORK/hello.txt"
head -c 300000 /dev/urandom >"$WORK/random.bin"
aws s3 cp "$WORK/hello.txt" s3://scenario-bucket/docs/hello.txt >/dev/null && pass "cp up (text)" || fail "cp up (text)"
aws s3 cp "$WORK/random.bin" s3://scenario-bucket/bin/random.bin >/dev/null && pass "cp up (binary)" || fail "cp up (binary)"
head -c 12000000 /dev/urandom >"$WORK/large.bin"
aws s3 cp "$WORK/large.bin" s3://scenario-bucket/large.bin >/dev/null && pass "cp up 12 MB (multipart)" || fail "cp up 12 MB (multipart)"
aws s3 cp s3://scenario-bucket/large.bin "$WORK/large.back" >/dev/null && pass "cp down 12 MB (ranged GETs)" || fail "cp down 12 MB"
expect_eq "round trip (multipart)" "$(md5sum <"$WORK/large.bin")" "$(md5sum <"$WORK/large.back" 2>/dev/null)"
expect_eq "multipart ETag" "-2\"" "$(aws s3api head-object --bucket scenario-bucket --key large.bin --query ETag --output text | grep -o -- '-2"$')"
aws s3 rm s3://scenario-bucket/large.bin >/dev/null
aws s3 cp s3://scenario-bucket/docs/hello.txt "$WORK/back.txt" >/dev/null && pass "cp down" || fail "cp down"
expect_eq "round trip (text)" "hello from the scenario" "$(cat "$WORK/back.txt")"
aws s3 cp s3://scenario-bucket/bin/random.bin "$WORK/random.back" >/dev/null
expect_eq "round trip (binary)" "$(md5sum <"$WORK/random.bin")" "$(md5sum <"$WORK/random.back")"
expect_eq "ETag is the MD5" "\"$(md5sum "$WORK/hello.txt" | cut -d' ' -f1)\"" \
  "$(aws s3api head-object --bucket scenario-bucket --key docs/hello.txt --query ETag --output text)"
expect_eq "ls buckets" "scenario-bucket" "$(aws s3 ls | awk '{print $3}')"
expect_eq "ls prefixes" "PRE bin/ PRE docs/" "$(aws s3 ls s3://scenario-bucket/ | awk '{print $1, $2}' | tr '\n' ' ' | sed 's/ $//')"
expect_eq "ls recursive" "bin/random.bin docs/hello.txt" \
  "$(aws s3 ls --recursive s3://scenario-bucket/ | awk '{print $4}' | tr '\n' ' ' | sed 's/ $//')"
aws s3 mv s3://scenario-bucket/docs/hello.txt s3://scenario-bucket/moved/hello.txt >/dev/null && pass "mv (CopyObject + DeleteObject)" || fail "mv"
expect_eq "moved content" "hello from the scenario" "$(aws s3 cp s3://scenario-bucket/moved/hello.txt -)"
aws s3 mv s3://scenario-bucket/moved/hello.txt s3://scenario-bucket/docs/hello.txt >/dev/null
expect_error "missing key" 404 aws s3api head-object --bucket scenario-bucket --key nope
expect_error "no such bucket" NoSuchBucket aws s3 ls s3://no-such-scenario-bucket/

POLICY='{"Version":"2012-10-17","Statement":[{"Sid":"DenyAll","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::scenario-bucket","arn:aws:s3:::scenario-bucket/*"]}]}'
expect_error "malformed policy" MalformedPolicy aws s3api put-bucket-policy --bucket scenario-bucket \
  --policy '{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::elsewhere/*"}]}'
expect_error "no policy yet" NoSuchBucketPolicy aws s3api get-bucket-policy --bucket scenario-bucket
aws s3api put-bucket-policy --bucket scenario-bucket --policy "$POLICY" && pass "put deny-all policy" || fail "put deny-all policy"
expect_error "locked out of objects (HeadObject: no body)" 403 aws s3 cp s3://scenario-bucket/docs/hello.txt "$WORK/again.txt"
expect_error "locked out of the policy" AccessDenied aws s3api get-bucket-policy --bucket scenario-bucket

# boto3: the same denial, S3-shaped.
python3 - <<'PY' && pass "boto3 AccessDenied" || fail "boto3 AccessDenied"
import boto3, os, botocore
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
try:
    s3.get_object(Bucket="scenario-bucket", Key="docs/hello.txt")
    raise SystemExit("expected AccessDenied")
except botocore.exceptions.ClientError as e:
    assert e.response["Error"]["Code"] == "AccessDenied", e.response
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert e.response["ResponseMetadata"]["RequestId"], e.response
    assert e.response["ResponseMetadata"]["HostId"], e.response
names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
assert names == ["scenario-bucket"], names
PY

# kill -9 loses nothing acknowledged; the lock stays.
kill -9 "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=
start_server "$WORK/data"
expect_error "still locked after restart" AccessDenied aws s3api get-object --bucket scenario-bucket --key docs/hello.txt "$WORK/x"

# A second bucket without policy: boto3 round trip and get-bucket-policy text.
aws s3 mb s3://open-bucket >/dev/null
OPEN='{"Version":"2012-10-17","Statement":[{"Sid":"NoDeletes","Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::open-bucket/*"}]}'
aws s3api put-bucket-policy --bucket open-bucket --policy "$OPEN"
expect_eq "get-bucket-policy returns the text" "$OPEN" "$(aws s3api get-bucket-policy --bucket open-bucket --query Policy --output text)"
python3 - <<'PY' && pass "boto3 objects" || fail "boto3 objects"
import boto3, os, hashlib, botocore
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
body = b"boto3 bytes " * 1000
r = s3.put_object(Bucket="open-bucket", Key="k/b3", Body=body, Metadata={"team": "ops"})
assert r["ETag"] == '"%s"' % hashlib.md5(body).hexdigest(), r
got = s3.get_object(Bucket="open-bucket", Key="k/b3")
assert got["Body"].read() == body and got["Metadata"] == {"team": "ops"}, got
keys = [o["Key"] for p in s3.get_paginator("list_objects_v2").paginate(Bucket="open-bucket", PaginationConfig={"PageSize": 1}) for o in p.get("Contents", [])]
assert keys == ["k/b3"], keys
try:
    s3.delete_object(Bucket="open-bucket", Key="k/b3")
    raise SystemExit("expected AccessDenied")
except botocore.exceptions.ClientError as e:
    assert e.response["Error"]["Code"] == "AccessDenied", e.response
PY
aws s3api delete-bucket-policy --bucket open-bucket && pass "delete-bucket-policy" || fail "delete-bucket-policy"
aws s3 rm --recursive s3://open-bucket/ >/dev/null && pass "rm --recursive" || fail "rm --recursive"
expect_eq "bucket empty" "0" "$(aws s3api list-objects-v2 --bucket open-bucket --query 'length(Contents || `[]`)' --output text)"
aws s3 rb s3://open-bucket >/dev/null && pass "rb" || fail "rb"

summary
