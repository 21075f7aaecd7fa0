#!/usr/bin/env bash
# Scenario: Amazon SQS with the real AWS CLI and boto3 — queues, messages and
# their visibility, attributes, a deny-all queue policy that locks the
# account's own administrator out (the error codes the CLI and boto3 report),
# and a kill -9 restart. The unlock by an AssumeRoot session is in the Rust
# tests (crates/server/tests/api/sqs.rs).
set -uo pipefail
cd "$(dirname "$0")/.."
. scenarios/lib.sh

WORK=$(mktemp -d)
trap 'stop_server; rm -rf "$WORK"' EXIT
export AWS_ACCESS_KEY_ID=AKIASCENARIOADMIN001 AWS_SECRET_ACCESS_KEY=scenarioAdminSecret0123456789abcdefghij
export ROOTWARD_BOOTSTRAP_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID ROOTWARD_BOOTSTRAP_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null

# The AWS CLI v1 sends SQS to its legacy us-east-1 host unless told the
# endpoint on the command line.
sqs() { aws --endpoint-url "$AWS_ENDPOINT_URL" sqs "$@"; }

echo "== sqs scenario (AWS CLI: $(aws --version 2>&1))"
start_server "$WORK/data"

URL=$(sqs create-queue --queue-name locked-queue --query QueueUrl --output text)
expect_eq "queue URL" "$AWS_ENDPOINT_URL/111111111111/locked-queue" "$URL"
expect_eq "create-queue is idempotent" "$URL" "$(sqs create-queue --queue-name locked-queue --query QueueUrl --output text)"
expect_error "same name, other attributes" QueueAlreadyExists sqs create-queue --queue-name locked-queue --attributes VisibilityTimeout=99
sqs create-queue --queue-name other --query QueueUrl --output text >/dev/null && pass "second queue"
expect_eq "list by prefix" "$URL" "$(sqs list-queues --queue-name-prefix locked --query 'QueueUrls[0]' --output text)"
expect_eq "get-queue-url" "$URL" "$(sqs get-queue-url --queue-name locked-queue --query QueueUrl --output text)"
expect_error "missing queue" AWS.SimpleQueueService.NonExistentQueue sqs get-queue-url --queue-name nope

MD5=$(sqs send-message --queue-url "$URL" --message-body hello --query MD5OfMessageBody --output text)
expect_eq "MD5 of the body" "5d41402abc4b2a76b9719d911017c592" "$MD5"
sqs send-message --queue-url "$URL" --message-body world >/dev/null && pass "second message"
expect_eq "receive one" "hello" "$(sqs receive-message --queue-url "$URL" --visibility-timeout 300 --query 'Messages[0].Body' --output text)"
expect_eq "counts" "1 1" "$(sqs get-queue-attributes --queue-url "$URL" \
  --attribute-names ApproximateNumberOfMessages ApproximateNumberOfMessagesNotVisible \
  --query '[Attributes.ApproximateNumberOfMessages,Attributes.ApproximateNumberOfMessagesNotVisible]' --output text | tr '\t' ' ')"
HANDLE=$(sqs receive-message --queue-url "$URL" --query 'Messages[0].ReceiptHandle' --output text)
sqs delete-message --queue-url "$URL" --receipt-handle "$HANDLE" && pass "delete the second message"
expect_error "bad receipt handle" ReceiptHandleIsInvalid sqs delete-message --queue-url "$URL" --receipt-handle bogus
sqs set-queue-attributes --queue-url "$URL" --attributes VisibilityTimeout=45 && pass "set VisibilityTimeout"
expect_eq "read it back" "45" "$(sqs get-queue-attributes --queue-url "$URL" --attribute-names VisibilityTimeout --query Attributes.VisibilityTimeout --output text)"
echo '{"Policy": "{\"Statement\":"}' >"$WORK/bad.json"
expect_error "malformed policy" InvalidAttributeValue sqs set-queue-attributes --queue-url "$URL" --attributes "file://$WORK/bad.json"

# The lock-out: a queue policy that denies everyone everything.
LOCK='{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"sqs:*","Resource":"arn:aws:sqs:us-east-1:111111111111:locked-queue"}]}'
python3 -c 'import json,sys; print(json.dumps({"Policy": sys.argv[1]}))' "$LOCK" >"$WORK/lock.json"
sqs set-queue-attributes --queue-url "$URL" --attributes "file://$WORK/lock.json" && pass "deny-all policy set"
expect_error "admin cannot send" AccessDenied sqs send-message --queue-url "$URL" --message-body x
expect_error "admin cannot read the policy" AccessDenied sqs get-queue-attributes --queue-url "$URL" --attribute-names Policy
echo '{"Policy": ""}' >"$WORK/unlock.json"
expect_error "admin cannot remove the policy" AccessDenied sqs set-queue-attributes --queue-url "$URL" --attributes "file://$WORK/unlock.json"
sqs send-message --queue-url "$AWS_ENDPOINT_URL/111111111111/other" --message-body fine >/dev/null && pass "other queue unaffected"

# boto3 reports the query-compatible codes.
python3 - "$URL" <<'PY' && pass "boto3 sqs" || fail "boto3 sqs"
import os, sys, boto3, botocore
url = sys.argv[1]
sqs = boto3.client("sqs", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
def code(f, **kw):
    try:
        f(**kw)
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"].get("QueryErrorCode"), e.response["ResponseMetadata"]["HTTPStatusCode"]
    raise SystemExit(f"{f.__name__} succeeded")
c = code(sqs.send_message, QueueUrl=url, MessageBody="x")
assert c[0] == "AccessDenied" and c[2] == 403, c
c = code(sqs.get_queue_url, QueueName="nope")
assert c == ("AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist", 400), c
try:
    sqs.get_queue_url(QueueName="nope")
except sqs.exceptions.QueueDoesNotExist:
    pass
c = code(sqs.create_queue, QueueName="other", Attributes={"DelaySeconds": "5"})
assert c[0] == "QueueAlreadyExists", c
other = sqs.get_queue_url(QueueName="other")["QueueUrl"]
got = sqs.receive_message(QueueUrl=other, MaxNumberOfMessages=10, AttributeNames=["All"])["Messages"]
assert [m["Body"] for m in got] == ["fine"], got
assert got[0]["Attributes"]["ApproximateReceiveCount"] == "1", got
sqs.send_message(QueueUrl=other, MessageBody="durable")
PY

# kill -9: everything acknowledged is still there.
kill -9 "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=
start_server "$WORK/data"
URL=$AWS_ENDPOINT_URL/111111111111/locked-queue
OTHER=$AWS_ENDPOINT_URL/111111111111/other
expect_eq "queues after kill -9" "2" "$(sqs list-queues --query 'QueueUrls' --output text | wc -w)"
expect_error "still locked after kill -9" AccessDenied sqs send-message --queue-url "$URL" --message-body x
expect_eq "message after kill -9" "durable" "$(sqs receive-message --queue-url "$OTHER" --query 'Messages[0].Body' --output text)"
sqs delete-queue --queue-url "$OTHER" && pass "delete-queue"
expect_error "deleted" AWS.SimpleQueueService.NonExistentQueue sqs get-queue-url --queue-name other

# Batches, visibility changes, tags and a long poll.
BATCH=$(sqs create-queue --queue-name batch-queue --tags team=core --query QueueUrl --output text)
expect_eq "tags on create" "core" "$(sqs list-queue-tags --queue-url "$BATCH" --query Tags.team --output text)"
sqs tag-queue --queue-url "$BATCH" --tags env=test && pass "tag-queue"
sqs untag-queue --queue-url "$BATCH" --tag-keys team && pass "untag-queue"
expect_eq "tags after untag" "env" "$(sqs list-queue-tags --queue-url "$BATCH" --query 'keys(Tags)' --output text)"
expect_eq "send batch: 2 sent, 1 failed" "2 bad InvalidParameterValue" "$(sqs send-message-batch --queue-url "$BATCH" \
  --entries Id=a,MessageBody=one Id=b,MessageBody=two Id=bad,MessageBody=x,DelaySeconds=901 \
  --query '[length(Successful),Failed[0].Id,Failed[0].Code]' --output text | tr '\t' ' ')"
expect_error "repeated batch ids" AWS.SimpleQueueService.BatchEntryIdsNotDistinct \
  sqs send-message-batch --queue-url "$BATCH" --entries Id=a,MessageBody=1 Id=a,MessageBody=2
HANDLES=$(sqs receive-message --queue-url "$BATCH" --max-number-of-messages 10 --visibility-timeout 300 --query 'Messages[].ReceiptHandle' --output text)
set -- $HANDLES
sqs change-message-visibility --queue-url "$BATCH" --receipt-handle "$1" --visibility-timeout 0 && pass "change-message-visibility"
expect_eq "visibility batch" "1 ReceiptHandleIsInvalid" "$(sqs change-message-visibility-batch --queue-url "$BATCH" \
  --entries "Id=v,ReceiptHandle=$2,VisibilityTimeout=0" Id=w,ReceiptHandle=bogus,VisibilityTimeout=0 \
  --query '[length(Successful),Failed[0].Code]' --output text | tr '\t' ' ')"
HANDLES=$(sqs receive-message --queue-url "$BATCH" --max-number-of-messages 10 --query 'Messages[].ReceiptHandle' --output text)
set -- $HANDLES
expect_eq "delete batch" "2" "$(sqs delete-message-batch --queue-url "$BATCH" \
  --entries "Id=d1,ReceiptHandle=$1" "Id=d2,ReceiptHandle=$2" --query 'length(Successful)' --output text)"
python3 - "$BATCH" <<'PY' && pass "boto3 long poll woken by a send" || fail "boto3 long poll"
import os, sys, threading, time, boto3
url = sys.argv[1]
sqs = boto3.client("sqs", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
threading.Timer(1.0, lambda: sqs.send_message(QueueUrl=url, MessageBody="late")).start()
t = time.monotonic()
got = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=20).get("Messages", [])
assert [m["Body"] for m in got] == ["late"], got
assert time.monotonic() - t < 10, time.monotonic() - t
try:
    sqs.send_message_batch(QueueUrl=url, Entries=[])
    raise SystemExit("an empty batch was accepted")
except sqs.exceptions.ClientError as e:
    assert e.response["Error"]["Code"] == "AWS.SimpleQueueService.EmptyBatchRequest", e.response
PY

stop_server
summary
