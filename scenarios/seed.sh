#!/usr/bin/env bash
# Scenario: the seed scenario of spec 01 §1.5 with the real AWS CLI and boto3 —
# set-up (A), audit (B), delete (C), allow password recovery (D), the refusals
# of AssumeRoot (G), the SCP that blocks root password re-creation, the trail,
# and the tear-down (H).
set -uo pipefail
cd "$(dirname "$0")/.."
. scenarios/lib.sh

WORK=$(mktemp -d)
trap 'stop_server; rm -rf "$WORK"' EXIT
export AWS_ACCESS_KEY_ID=AKIASCENARIOADMIN001 AWS_SECRET_ACCESS_KEY=scenarioAdminSecret0123456789abcdefghij
export ROOTWARD_BOOTSTRAP_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID ROOTWARD_BOOTSTRAP_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
TASK=arn:aws:iam::aws:policy/root-task

echo "== seed scenario (AWS CLI: $(aws --version 2>&1))"
start_server "$WORK/data"

# --- Flow A: set-up --------------------------------------------------------
aws organizations create-organization --feature-set ALL >/dev/null && pass "A1 create-organization"
ROOT_ID=$(aws organizations list-roots --query 'Roots[0].Id' --output text)
new_account() {
  local req
  req=$(aws organizations create-account --email "$1@example.com" --account-name "$2" --query CreateAccountStatus.Id --output text)
  aws organizations describe-create-account-status --create-account-request-id "$req" --query CreateAccountStatus.AccountId --output text
}
MEMBER=$(new_account member "Workload")
DA=$(new_account breakglass "Breaking Glass")
expect_eq "A2 two accounts created" "12 12" "${#MEMBER} ${#DA}"
expect_error "A3 features need trusted access" ServiceAccessNotEnabledException aws iam list-organizations-features
aws organizations enable-aws-service-access --service-principal iam.amazonaws.com && pass "A4 trusted access for IAM"
expect_eq "A5 no feature yet" "" "$(aws iam list-organizations-features --query 'EnabledFeatures' --output text)"
expect_eq "A6 RootCredentialsManagement" "RootCredentialsManagement" \
  "$(aws iam enable-organizations-root-credentials-management --query 'EnabledFeatures' --output text)"
expect_eq "A7 both features, AWS's order" "RootSessions RootCredentialsManagement" \
  "$(aws iam enable-organizations-root-sessions --query 'EnabledFeatures' --output text | tr '\t' ' ')"
aws organizations register-delegated-administrator --account-id "$DA" --service-principal iam.amazonaws.com && pass "A8 delegated administrator"

# Operators: a role session in the delegated administrator and in the member.
role_creds() {
  aws sts assume-role --role-arn "arn:aws:iam::$1:role/OrganizationAccountAccessRole" --role-session-name "$2" \
    --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text
}
read -r DA_K DA_S DA_T < <(role_creds "$DA" breakglass)
read -r M_K M_S M_T < <(role_creds "$MEMBER" member-admin)
as_da() { AWS_ACCESS_KEY_ID=$DA_K AWS_SECRET_ACCESS_KEY=$DA_S AWS_SESSION_TOKEN=$DA_T "$@"; }
as_member_admin() { AWS_ACCESS_KEY_ID=$M_K AWS_SECRET_ACCESS_KEY=$M_S AWS_SESSION_TOKEN=$M_T "$@"; }
expect_error "A9 the delegated admin cannot enable" CallerIsNotManagementAccountException as_da aws iam enable-organizations-root-sessions
expect_error "A10 a member cannot list" AccountNotManagementOrDelegatedAdministratorException as_member_admin aws iam list-organizations-features

# Root sessions: `root TASK CMD…` runs CMD in a fresh root session of the member.
ROOT_K=; ROOT_S=; ROOT_T=
open_root() {
  read -r ROOT_K ROOT_S ROOT_T < <(as_da aws sts assume-root --target-principal "$MEMBER" \
    --task-policy-arn "arn=$TASK/$1" --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
}
in_root() { AWS_ACCESS_KEY_ID=$ROOT_K AWS_SECRET_ACCESS_KEY=$ROOT_S AWS_SESSION_TOKEN=$ROOT_T "$@"; }

# --- Flow B: audit ---------------------------------------------------------
open_root IAMAuditRootUserCredentials
expect_eq "B1 a root session key" "ASIA" "${ROOT_K:0:4}"
expect_eq "B2 the session is the member's root" "arn:aws:iam::$MEMBER:root $MEMBER" \
  "$(in_root aws sts get-caller-identity --query '[Arn,UserId]' --output text | tr '\t' ' ')"
expect_eq "B3 no root password" "0" "$(in_root aws iam get-account-summary --query 'SummaryMap.AccountPasswordPresent' --output text)"
expect_eq "B4 the root User" "arn:aws:iam::$MEMBER:root" "$(in_root aws iam get-user --query User.Arn --output text)"
expect_error "B5 no login profile" NoSuchEntity in_root aws iam get-login-profile
expect_eq "B5 no root keys" "0" "$(in_root aws iam list-access-keys --query 'length(AccessKeyMetadata)' --output text)"
expect_error "B6 deleting is not auditing" AccessDenied in_root aws iam delete-login-profile
expect_error "B7 only the root user" AccessDenied in_root aws iam list-access-keys --user-name someuser

# --- The password-recovery validation (the AWS sign-in page's stand-ins) ----
page() {
  curl -s -o "$WORK/out" -w '%{http_code}' -H 'content-type: application/json' \
    -X POST --data "$2" "$AWS_ENDPOINT_URL/_rootward/$1"
}
expect_eq "forgot-password answers the same way" "200" "$(page forgot-password '{"email":"member@example.com"}')"
TOKEN=$(curl -s "$AWS_ENDPOINT_URL/_rootward/outbox?email=member@example.com" | python3 -c 'import json,sys; print(json.load(sys.stdin)[-1]["token"])')
expect_eq "recovery is disabled without a root login profile" "403" \
  "$(page reset-password "{\"token\":\"$TOKEN\",\"new_password\":\"Recovered-Passw0rd!\"}")"
grep -q 'Password recovery is disabled' "$WORK/out" && pass "the reset page says why" || fail "the reset page says why: $(cat "$WORK/out")"

# --- Flow D: allow password recovery --------------------------------------
open_root IAMCreateRootUserPassword
expect_eq "D create the root login profile" "False" \
  "$(in_root aws iam create-login-profile --query 'LoginProfile.PasswordResetRequired' --output text)"
expect_error "D only once" EntityAlreadyExists in_root aws iam create-login-profile
open_root IAMAuditRootUserCredentials
expect_eq "D password present" "1" "$(in_root aws iam get-account-summary --query 'SummaryMap.AccountPasswordPresent' --output text)"
expect_eq "D recovery now works" "200" \
  "$(page reset-password "{\"token\":\"$TOKEN\",\"new_password\":\"Recovered-Passw0rd!\"}")"
expect_eq "D the root user signs in" "200" \
  "$(page signin '{"email":"member@example.com","password":"Recovered-Passw0rd!"}')"

# --- Flow C: delete root credentials ---------------------------------------
open_root IAMDeleteRootUserCredentials
in_root aws iam delete-login-profile && pass "C delete-login-profile"
expect_error "C no summary in a delete session" AccessDenied in_root aws iam get-account-summary
open_root IAMAuditRootUserCredentials
expect_eq "C nothing left" "0 0" \
  "$(in_root aws iam get-account-summary --query 'SummaryMap.[AccountPasswordPresent,AccountAccessKeysPresent]' --output text | tr '\t' ' ')"

# --- Flow E: unlock an S3 bucket -------------------------------------------
as_member_admin aws s3api create-bucket --bucket locked-bucket >/dev/null && pass "E bucket created"
echo "precious" > "$WORK/obj.txt"
as_member_admin aws s3 cp "$WORK/obj.txt" s3://locked-bucket/obj.txt >/dev/null && pass "E object stored"
as_member_admin aws s3api put-bucket-policy --bucket locked-bucket --policy \
  '{"Version":"2012-10-17","Statement":[{"Sid":"DenyAll","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::locked-bucket","arn:aws:s3:::locked-bucket/*"]}]}' \
  && pass "E the bucket is locked by a deny-all policy"
expect_error "E the member's admin cannot read the policy" AccessDenied as_member_admin aws s3api get-bucket-policy --bucket locked-bucket
expect_error "E the member's admin cannot read the object" 403 as_member_admin aws s3api head-object --bucket locked-bucket --key obj.txt
open_root IAMAuditRootUserCredentials
expect_error "E an audit session cannot unlock" AccessDenied in_root aws s3api delete-bucket-policy --bucket locked-bucket
open_root S3UnlockBucketPolicy
expect_eq "E the root session lists the bucket" "locked-bucket" "$(in_root aws s3api list-buckets --query 'Buckets[0].Name' --output text)"
in_root aws s3api get-bucket-policy --bucket locked-bucket --query Policy --output text | grep -q DenyAll \
  && pass "E the root session reads the policy" || fail "E the root session reads the policy"
expect_error "E the root session cannot read objects" 403 in_root aws s3api head-object --bucket locked-bucket --key obj.txt
in_root aws s3api delete-bucket-policy --bucket locked-bucket && pass "E the root session deletes the policy"
expect_error "E the policy is gone" NoSuchBucketPolicy in_root aws s3api get-bucket-policy --bucket locked-bucket
expect_eq "E the object is readable again" "precious" "$(as_member_admin aws s3 cp s3://locked-bucket/obj.txt -)"
expect_eq "E the unlock is in the member's trail" "Root" \
  "$(as_member_admin aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=DeleteBucketPolicy --query 'Events[0].CloudTrailEvent' --output text | python3 -c 'import json,sys; print(json.load(sys.stdin)["userIdentity"]["type"])')"

# --- Flow F: unlock an SQS queue -------------------------------------------
Q=$(as_member_admin aws sqs create-queue --endpoint-url "$AWS_ENDPOINT_URL" --queue-name locked-queue --query QueueUrl --output text)
as_member_admin aws sqs set-queue-attributes --endpoint-url "$AWS_ENDPOINT_URL" --queue-url "$Q" --attributes \
  "{\"Policy\":\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Deny\\\",\\\"Principal\\\":\\\"*\\\",\\\"Action\\\":\\\"sqs:*\\\",\\\"Resource\\\":\\\"arn:aws:sqs:us-east-1:$MEMBER:locked-queue\\\"}]}\"}" \
  && pass "F the queue is locked by a deny-all policy"
expect_error "F the member's admin is locked out" AccessDenied as_member_admin aws sqs send-message --endpoint-url "$AWS_ENDPOINT_URL" --queue-url "$Q" --message-body hi
open_root SQSUnlockQueuePolicy
expect_eq "F the root session finds the queue" "$Q" "$(in_root aws sqs get-queue-url --endpoint-url "$AWS_ENDPOINT_URL" --queue-name locked-queue --query QueueUrl --output text)"
in_root aws sqs get-queue-attributes --endpoint-url "$AWS_ENDPOINT_URL" --queue-url "$Q" --attribute-names Policy --query Attributes.Policy --output text | grep -q Deny \
  && pass "F the root session reads the policy" || fail "F the root session reads the policy"
expect_error "F the root session cannot send" AccessDenied in_root aws sqs send-message --endpoint-url "$AWS_ENDPOINT_URL" --queue-url "$Q" --message-body hi
in_root aws sqs set-queue-attributes --endpoint-url "$AWS_ENDPOINT_URL" --queue-url "$Q" --attributes Policy= && pass "F the root session removes the policy"
as_member_admin aws sqs send-message --endpoint-url "$AWS_ENDPOINT_URL" --queue-url "$Q" --message-body hi >/dev/null && pass "F the queue works again"

# --- The seed SCP: no root password re-creation on this account ------------
SCP=$(aws organizations create-policy --name DenyRootPasswordRecovery --description "" --type SERVICE_CONTROL_POLICY \
  --content '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:CreateLoginProfile","Resource":"*","Condition":{"Bool":{"aws:AssumedRoot":"true"}}}]}' \
  --query Policy.PolicySummary.Id --output text)
aws organizations attach-policy --policy-id "$SCP" --target-id "$MEMBER" && pass "seed SCP attached to the member"
open_root IAMCreateRootUserPassword
expect_error "the SCP blocks root password re-creation" AccessDenied in_root aws iam create-login-profile
as_member_admin aws iam create-user --user-name dev >/dev/null && pass "IAM users are not affected"

# --- Flow G: refusals -------------------------------------------------------
expect_error "G DurationSeconds 901" ValidationError as_da aws sts assume-root --target-principal "$MEMBER" --task-policy-arn "arn=$TASK/IAMAuditRootUserCredentials" --duration-seconds 901
expect_error "G not a task policy" ValidationError as_da aws sts assume-root --target-principal "$MEMBER" --task-policy-arn arn=arn:aws:iam::aws:policy/AdministratorAccess
expect_error "G not a root principal" ValidationError as_da aws sts assume-root --target-principal "arn:aws:iam::$MEMBER:user/alice" --task-policy-arn "arn=$TASK/IAMAuditRootUserCredentials"
expect_error "G never the management account" AccessDenied as_da aws sts assume-root --target-principal 111111111111 --task-policy-arn "arn=$TASK/IAMAuditRootUserCredentials"
expect_error "G never from a member" AccessDenied as_member_admin aws sts assume-root --target-principal "$DA" --task-policy-arn "arn=$TASK/IAMAuditRootUserCredentials"

# --- The trail --------------------------------------------------------------
expect_eq "AssumeRoot is in the delegated admin's trail" "AssumeRoot" \
  "$(as_da aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=AssumeRoot --max-results 1 --query 'Events[0].EventName' --output text)"
expect_eq "the root session's calls are in the member's trail" "Root" \
  "$(as_member_admin aws cloudtrail lookup-events --lookup-attributes AttributeKey=AccessKeyId,AttributeValue="$ROOT_K" --query 'Events[0].CloudTrailEvent' --output text | python3 -c 'import json,sys; print(json.load(sys.stdin)["userIdentity"]["type"])')"

# boto3 sees the same codes.
python3 - "$MEMBER" <<'PY' && pass "boto3 assume_root refusal" || fail "boto3 assume_root refusal"
import boto3, os, sys
sts = boto3.client("sts", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
try:
    sts.assume_root(TargetPrincipal=sys.argv[1], TaskPolicyArn={"arn": "arn:aws:iam::aws:policy/root-task/Nope"})
    raise SystemExit("expected ValidationError")
except sts.exceptions.ClientError as e:
    assert e.response["Error"]["Code"] == "ValidationError", e.response
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400
PY

# --- Flow H: tear-down ------------------------------------------------------
open_root IAMAuditRootUserCredentials
as_da aws iam disable-organizations-root-credentials-management >/dev/null && pass "H the delegated admin disables"
in_root aws iam get-account-summary >/dev/null && pass "H issued sessions keep working"
expect_error "H no new credential sessions" AccessDenied as_da aws sts assume-root --target-principal "$MEMBER" --task-policy-arn "arn=$TASK/IAMAuditRootUserCredentials"
expect_error "H trusted access stays while delegated" ConstraintViolationException aws organizations disable-aws-service-access --service-principal iam.amazonaws.com

# kill -9 loses nothing acknowledged.
kill -9 "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=
start_server "$WORK/data"
expect_eq "features survive kill -9" "RootSessions" "$(aws iam list-organizations-features --query 'EnabledFeatures' --output text)"
expect_eq "the trail survives kill -9" "AssumeRoot" \
  "$(as_da aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=AssumeRoot --max-results 1 --query 'Events[0].EventName' --output text)"

summary
