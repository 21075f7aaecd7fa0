#!/usr/bin/env bash
# Scenario: what audit tools read first, with the real AWS CLI and boto3 —
# bucket configuration a new bucket answers, checksums verified and
# validated on download, a CloudTrail trail that delivers gzipped log files
# to its bucket, and the delivery after a kill -9.
set -uo pipefail
cd "$(dirname "$0")/.."
. scenarios/lib.sh

WORK=$(mktemp -d)
trap 'stop_server; rm -rf "$WORK"' EXIT
export AWS_ACCESS_KEY_ID=AKIASCENARIOADMIN001 AWS_SECRET_ACCESS_KEY=scenarioAdminSecret0123456789abcdefghij
export ROOTWARD_BOOTSTRAP_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID ROOTWARD_BOOTSTRAP_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export SERVE_ARGS="--trail-delivery-seconds 1"

echo "== trails and bucket configuration scenario (AWS CLI: $(aws --version 2>&1))"
start_server "$WORK/data"

aws s3api create-bucket --bucket audit-logs >/dev/null && pass "create bucket" || fail "create bucket"
expect_eq "new bucket: Block Public Access on" "True True True True" \
  "$(aws s3api get-public-access-block --bucket audit-logs --query 'PublicAccessBlockConfiguration.[BlockPublicAcls,IgnorePublicAcls,BlockPublicPolicy,RestrictPublicBuckets]' --output text | tr '\t' ' ')"
expect_eq "new bucket: SSE-S3" "AES256" \
  "$(aws s3api get-bucket-encryption --bucket audit-logs --query 'ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm' --output text)"
expect_eq "new bucket: versioning never set" "" "$(aws s3api get-bucket-versioning --bucket audit-logs --output text)"
expect_eq "new bucket: ACLs disabled" "BucketOwnerEnforced" \
  "$(aws s3api get-bucket-ownership-controls --bucket audit-logs --query 'OwnershipControls.Rules[0].ObjectOwnership' --output text)"
expect_eq "new bucket: owner FULL_CONTROL" "FULL_CONTROL" \
  "$(aws s3api get-bucket-acl --bucket audit-logs --query 'Grants[0].Permission' --output text)"
expect_error "new bucket: no tags" NoSuchTagSet aws s3api get-bucket-tagging --bucket audit-logs
expect_error "new bucket: no website" NoSuchWebsiteConfiguration aws s3api get-bucket-website --bucket audit-logs
aws s3api put-bucket-versioning --bucket audit-logs --versioning-configuration Status=Enabled && pass "versioning enabled" || fail "versioning enabled"
expect_eq "versioning read back" "Enabled" "$(aws s3api get-bucket-versioning --bucket audit-logs --query Status --output text)"
aws s3api put-bucket-tagging --bucket audit-logs --tagging 'TagSet=[{Key=team,Value=security}]' && pass "tags put" || fail "tags put"
expect_eq "tags read back" "team security" "$(aws s3api get-bucket-tagging --bucket audit-logs --query 'TagSet[0].[Key,Value]' --output text | tr '\t' ' ')"

# Checksums: the CLI computes SHA-256 (and CRC32); boto3 validates downloads.
printf 'checksummed bytes\n' >"$WORK/sum.txt"
expect_eq "put-object with SHA256 answers it" "$(openssl dgst -sha256 -binary "$WORK/sum.txt" | base64)" \
  "$(aws s3api put-object --bucket audit-logs --key sum.txt --body "$WORK/sum.txt" --checksum-algorithm SHA256 --query ChecksumSHA256 --output text)"
expect_error "a wrong SHA-256 is refused" BadDigest \
  aws s3api put-object --bucket audit-logs --key bad.txt --body "$WORK/sum.txt" --checksum-sha256 "$(printf other | openssl dgst -sha256 -binary | base64)"
python3 - <<'PY' && pass "boto3: checksum mode returns and validates the checksum" || fail "boto3 checksum mode"
import boto3, os
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
s3.put_object(Bucket="audit-logs", Key="crc.bin", Body=b"x" * 100000, ChecksumAlgorithm="CRC32")
got = s3.get_object(Bucket="audit-logs", Key="crc.bin", ChecksumMode="ENABLED")
assert got["ChecksumCRC32"], got
assert got["Body"].read() == b"x" * 100000
head = s3.head_object(Bucket="audit-logs", Key="sum.txt", ChecksumMode="ENABLED")
assert head["ChecksumSHA256"], head
PY

# A trail needs a bucket policy that lets CloudTrail write.
expect_error "no bucket policy for CloudTrail" InsufficientS3BucketPolicyException \
  aws cloudtrail create-trail --name main --s3-bucket-name audit-logs
POLICY='{"Version":"2012-10-17","Statement":[{"Sid":"AWSCloudTrailAclCheck","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:GetBucketAcl","Resource":"arn:aws:s3:::audit-logs"},{"Sid":"AWSCloudTrailWrite","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::audit-logs/AWSLogs/111111111111/*","Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control","aws:SourceArn":"arn:aws:cloudtrail:us-east-1:111111111111:trail/main"}}}]}'
aws s3api put-bucket-policy --bucket audit-logs --policy "$POLICY" && pass "bucket policy for CloudTrail" || fail "bucket policy"
expect_eq "create-trail" "arn:aws:cloudtrail:us-east-1:111111111111:trail/main" \
  "$(aws cloudtrail create-trail --name main --s3-bucket-name audit-logs --is-multi-region-trail --query TrailARN --output text)"
expect_eq "describe-trails" "main True" "$(aws cloudtrail describe-trails --query 'trailList[0].[Name,IsMultiRegionTrail]' --output text | tr '\t' ' ')"
expect_eq "not logging yet" "False" "$(aws cloudtrail get-trail-status --name main --query IsLogging --output text)"
aws cloudtrail start-logging --name main && pass "start-logging" || fail "start-logging"
expect_eq "logging" "True" "$(aws cloudtrail get-trail-status --name main --query IsLogging --output text)"
aws iam create-user --user-name traced-by-the-trail >/dev/null

# wait_for_event NAME: a log file holding an event NAME appears within 15 s.
wait_for_event() {
  python3 - "$1" <<'PY'
import boto3, gzip, json, os, sys, time
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
deadline = time.time() + 15
while time.time() < deadline:
    for o in s3.list_objects_v2(Bucket="audit-logs", Prefix="AWSLogs/").get("Contents", []):
        k = o["Key"]
        assert k.startswith("AWSLogs/111111111111/CloudTrail/") and k.endswith(".json.gz"), k
        body = gzip.decompress(s3.get_object(Bucket="audit-logs", Key=k)["Body"].read())
        if any(r["eventName"] == sys.argv[1] for r in json.loads(body)["Records"]):
            sys.exit(0)
    time.sleep(0.5)
sys.exit(1)
PY
}
wait_for_event CreateUser && pass "the trail delivered CreateUser to the bucket" || fail "no log file with CreateUser"

# What Terraform's aws_cloudtrail and audit tools call besides creation:
# update-trail (checked against the new bucket's policy), tags, Insights.
ARN=arn:aws:cloudtrail:us-east-1:111111111111:trail/main
aws s3api create-bucket --bucket no-policy-logs >/dev/null
expect_error "update-trail to a bucket CloudTrail may not write" InsufficientS3BucketPolicyException \
  aws cloudtrail update-trail --name main --s3-bucket-name no-policy-logs
expect_error "update-trail of an unknown trail" TrailNotFoundException \
  aws cloudtrail update-trail --name nope --s3-bucket-name audit-logs
expect_eq "update-trail answers the trail" "main audit-logs False" \
  "$(aws cloudtrail update-trail --name "$ARN" --no-is-multi-region-trail --query '[Name,S3BucketName,IsMultiRegionTrail]' --output text | tr '\t' ' ')"
aws cloudtrail add-tags --resource-id "$ARN" --tags-list Key=team,Value=security Key=owner,Value=audit Key=flag \
  && pass "add-tags" || fail "add-tags"
aws cloudtrail remove-tags --resource-id "$ARN" --tags-list Key=owner && pass "remove-tags" || fail "remove-tags"
expect_eq "list-tags" "team=security flag=null" \
  "$(aws cloudtrail list-tags --resource-id-list "$ARN" --query 'ResourceTagList[0].TagsList[].join(`=`, [Key, to_string(Value)])' --output text | tr '\t' ' ')"
expect_error "add-tags names a trail by its ARN" CloudTrailARNInvalidException \
  aws cloudtrail add-tags --resource-id main --tags-list Key=a,Value=b
expect_error "add-tags on an unknown trail" ResourceNotFoundException \
  aws cloudtrail add-tags --resource-id arn:aws:cloudtrail:us-east-1:111111111111:trail/nope --tags-list Key=a,Value=b
expect_error "get-insight-selectors: Insights are not enabled" InsightNotEnabledException \
  aws cloudtrail get-insight-selectors --trail-name main

# An event in the history when the server is killed is delivered after the restart.
aws iam create-user --user-name before-the-crash >/dev/null
kill -9 "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=
start_server "$WORK/data"
python3 - <<'PY' && pass "delivered after kill -9" || fail "not delivered after kill -9"
import boto3, gzip, json, os, time
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
deadline = time.time() + 15
while time.time() < deadline:
    users = [r["requestParameters"]["userName"]
             for o in s3.list_objects_v2(Bucket="audit-logs", Prefix="AWSLogs/").get("Contents", [])
             for r in json.loads(gzip.decompress(s3.get_object(Bucket="audit-logs", Key=o["Key"])["Body"].read()))["Records"]
             if r["eventName"] == "CreateUser"]
    if "before-the-crash" in users:
        assert users.count("before-the-crash") == 1, users
        raise SystemExit(0)
    time.sleep(0.5)
raise SystemExit(1)
PY
expect_eq "tags kept after kill -9" "team=security flag=null" \
  "$(aws cloudtrail list-tags --resource-id-list "$ARN" --query 'ResourceTagList[0].TagsList[].join(`=`, [Key, to_string(Value)])' --output text | tr '\t' ' ')"
expect_eq "update kept after kill -9" "False" \
  "$(aws cloudtrail get-trail --name main --query Trail.IsMultiRegionTrail --output text)"
# What audit tools call before anything else (issue 14 §2, §3), with the CLI.
expect_eq "ec2 describe-regions lists us-east-1" "us-east-1" \
  "$(aws ec2 describe-regions --region us-east-1 --query "Regions[?RegionName=='us-east-1'].RegionName" --output text)"
aws account put-alternate-contact --alternate-contact-type SECURITY --email-address sec@example.com \
  --name "Sec Team" --phone-number "+1-555-0100" --title CISO >/dev/null && pass "account put-alternate-contact" || fail "account put-alternate-contact"
expect_eq "account get-alternate-contact" "sec@example.com" \
  "$(aws account get-alternate-contact --alternate-contact-type SECURITY --query AlternateContact.EmailAddress --output text)"
expect_error "an alternate contact never set" ResourceNotFoundException \
  aws account get-alternate-contact --alternate-contact-type BILLING
# Services the endpoint does not serve answer in their own protocol, so the
# CLI reports the error instead of failing to parse IAM's XML.
for call in "logs describe-log-groups" "cloudwatch list-metrics" "ec2 describe-instances"; do
  # shellcheck disable=SC2086 # the call's words
  err=$(aws $call --region us-east-1 2>&1 >/dev/null) && fail "$call answered 200" || {
    if grep -q "not implemented" <<<"$err"; then pass "$call: not implemented, in its own protocol"; else fail "$call: $err"; fi
  }
done

aws cloudtrail stop-logging --name main && pass "stop-logging" || fail "stop-logging"
aws cloudtrail delete-trail --name main && pass "delete-trail" || fail "delete-trail"
expect_error "deleted" TrailNotFoundException aws cloudtrail get-trail --name main

stop_server
summary
