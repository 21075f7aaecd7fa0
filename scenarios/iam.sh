#!/usr/bin/env bash
# Scenario: the endpoint with the real AWS CLI and boto3 — identity, IAM users,
# keys, inline and managed policies, a boundary, denials, groups, customer
# policies with versions, login profiles, simulation, and a kill -9 restart.
set -uo pipefail
cd "$(dirname "$0")/.."
. scenarios/lib.sh

WORK=$(mktemp -d)
trap 'stop_server; rm -rf "$WORK"' EXIT
export AWS_ACCESS_KEY_ID=AKIASCENARIOADMIN001 AWS_SECRET_ACCESS_KEY=scenarioAdminSecret0123456789abcdefghij
export ROOTWARD_BOOTSTRAP_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID ROOTWARD_BOOTSTRAP_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null

echo "== iam scenario (AWS CLI: $(aws --version 2>&1))"
start_server "$WORK/data"

expect_eq "bootstrap credentials file is private" "600" "$(stat -c %a "$WORK/data/bootstrap-credentials")"
expect_eq "caller is the admin user" "arn:aws:iam::111111111111:user/admin" \
  "$(aws sts get-caller-identity --query Arn --output text)"

aws iam create-user --user-name alice --path /ops/ >/dev/null && pass "create-user alice"
expect_error "duplicate user" EntityAlreadyExists aws iam create-user --user-name alice
read -r ALICE_KEY ALICE_SECRET < <(aws iam create-access-key --user-name alice --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
as_alice() { AWS_ACCESS_KEY_ID=$ALICE_KEY AWS_SECRET_ACCESS_KEY=$ALICE_SECRET "$@"; }

expect_eq "alice's identity" "arn:aws:iam::111111111111:user/ops/alice" \
  "$(as_alice aws sts get-caller-identity --query Arn --output text)"
expect_error "alice has no permission yet" AccessDenied as_alice aws iam list-users

aws iam attach-user-policy --user-name alice --policy-arn arn:aws:iam::aws:policy/IAMFullAccess && pass "attach IAMFullAccess"
expect_eq "alice lists users" "admin alice" "$(as_alice aws iam list-users --query 'Users[].UserName' --output text | tr '\t' ' ')"
aws iam put-user-permissions-boundary --user-name alice --permissions-boundary arn:aws:iam::aws:policy/ReadOnlyAccess && pass "boundary ReadOnlyAccess"
expect_error "boundary stops alice creating users" AccessDenied as_alice aws iam create-user --user-name mallory
aws iam put-user-policy --user-name alice --policy-name DenyList \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:ListUsers","Resource":"*"}]}' && pass "inline deny"
expect_error "explicit deny wins" AccessDenied as_alice aws iam list-users
expect_error "malformed policy" MalformedPolicyDocument aws iam put-user-policy --user-name alice --policy-name Bad --policy-document '{"Statement":'
expect_error "task policies are not attachable" PolicyNotAttachable aws iam attach-user-policy --user-name alice --policy-arn arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy
# A virtual MFA device as the console's wizard makes one: the CLI writes the
# QR code (a PNG) or the base32 seed to a file.
aws iam create-virtual-mfa-device --virtual-mfa-device-name cli-phone \
  --outfile "$WORK/qr.png" --bootstrap-method QRCodePNG >/dev/null && pass "virtual MFA device with its QR code"
expect_eq "the QR code is a PNG" "89504e470d0a1a0a" "$(head -c 8 "$WORK/qr.png" | od -An -tx1 | tr -d ' \n')"
aws iam create-virtual-mfa-device --virtual-mfa-device-name cli-phone2 \
  --outfile "$WORK/seed.txt" --bootstrap-method Base32StringSeed >/dev/null
expect_eq "the seed file is base32" "64" "$(tr -cd 'A-Z2-7' <"$WORK/seed.txt" | wc -c)"
aws iam create-account-alias --account-alias scenario-corp && pass "create-account-alias"
expect_eq "list-account-aliases" "scenario-corp" "$(aws iam list-account-aliases --query 'AccountAliases[0]' --output text)"
expect_error "an alias breaking the pattern" ValidationError aws iam create-account-alias --account-alias Bad--Alias
expect_error "wrong secret" SignatureDoesNotMatch env AWS_SECRET_ACCESS_KEY=wrong aws sts get-caller-identity
expect_error "unknown key" InvalidClientTokenId env AWS_ACCESS_KEY_ID=AKIANOSUCHKEY0000000 aws sts get-caller-identity

# Roles: trust policy, AssumeRole, the session acts with the role's permissions.
aws iam create-role --role-name Reader \
  --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}' >/dev/null && pass "create-role Reader"
aws iam attach-role-policy --role-name Reader --policy-arn arn:aws:iam::aws:policy/ReadOnlyAccess && pass "attach ReadOnlyAccess to Reader"
read -r R_KEY R_SECRET R_TOKEN < <(aws sts assume-role --role-arn arn:aws:iam::111111111111:role/Reader --role-session-name audit \
  --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
as_role() { AWS_ACCESS_KEY_ID=$R_KEY AWS_SECRET_ACCESS_KEY=$R_SECRET AWS_SESSION_TOKEN=$R_TOKEN "$@"; }
expect_eq "role session identity" "arn:aws:sts::111111111111:assumed-role/Reader/audit" \
  "$(as_role aws sts get-caller-identity --query Arn --output text)"
expect_eq "role session reads" "admin alice" "$(as_role aws iam list-users --query 'Users[].UserName' --output text | tr '\t' ' ')"
expect_error "role session cannot write" AccessDenied as_role aws iam create-user --user-name mallory
expect_error "alice may not assume the role" AccessDenied as_alice aws sts assume-role --role-arn arn:aws:iam::111111111111:role/Reader --role-session-name try

# Groups: a member gets the group's policies; detaching takes them away.
aws iam create-user --user-name gus >/dev/null && pass "create-user gus"
read -r GUS_KEY GUS_SECRET < <(aws iam create-access-key --user-name gus --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
as_gus() { AWS_ACCESS_KEY_ID=$GUS_KEY AWS_SECRET_ACCESS_KEY=$GUS_SECRET "$@"; }
aws iam create-group --group-name Readers >/dev/null && pass "create-group Readers"
aws iam add-user-to-group --group-name Readers --user-name gus && pass "add gus to Readers"
expect_error "gus cannot list yet" AccessDenied as_gus aws iam list-users
# Customer-managed policy with versions.
POLICY_ARN=$(aws iam create-policy --policy-name ListUsers \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ListUsers","iam:GetUser"],"Resource":"*"}]}' \
  --query Policy.Arn --output text)
expect_eq "customer policy ARN" "arn:aws:iam::111111111111:policy/ListUsers" "$POLICY_ARN"
aws iam attach-group-policy --group-name Readers --policy-arn "$POLICY_ARN" && pass "attach ListUsers to Readers"
expect_eq "gus lists users through his group" "admin alice gus" "$(as_gus aws iam list-users --query 'Users[].UserName' --output text | tr '\t' ' ')"
expect_eq "group members" "gus" "$(aws iam get-group --group-name Readers --query 'Users[].UserName' --output text)"
expect_error "a member cannot be deleted" DeleteConflict aws iam delete-user --user-name gus
aws iam create-policy-version --policy-arn "$POLICY_ARN" --set-as-default \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}' >/dev/null && pass "policy v2 as default"
expect_eq "default version" "v2" "$(aws iam get-policy --policy-arn "$POLICY_ARN" --query Policy.DefaultVersionId --output text)"
expect_error "v2 drops ListUsers at once" AccessDenied as_gus aws iam list-users
expect_error "default version cannot be deleted" DeleteConflict aws iam delete-policy-version --policy-arn "$POLICY_ARN" --version-id v2
expect_error "attached policy cannot be deleted" DeleteConflict aws iam delete-policy --policy-arn "$POLICY_ARN"
expect_eq "versions" "v2 v1" "$(aws iam list-policy-versions --policy-arn "$POLICY_ARN" --query 'Versions[].VersionId' --output text | tr '\t' ' ')"
# Simulation of a principal's own policies.
expect_eq "simulate gus" "implicitDeny allowed" "$(aws iam simulate-principal-policy --policy-source-arn arn:aws:iam::111111111111:user/gus \
  --action-names iam:ListUsers iam:GetUser --query 'EvaluationResults[].EvalDecision' --output text | tr '\t' ' ')"
# Login profiles.
aws iam create-login-profile --user-name gus --password 'Gus-Passw0rd!' --password-reset-required >/dev/null && pass "create-login-profile gus"
expect_eq "reset required" "True" "$(aws iam get-login-profile --user-name gus --query LoginProfile.PasswordResetRequired --output text)"
expect_error "second login profile" EntityAlreadyExists aws iam create-login-profile --user-name gus --password 'Gus-Passw0rd!'
expect_error "weak password" PasswordPolicyViolation aws iam create-login-profile --user-name alice --password weak
expect_error "no login profile" NoSuchEntity aws iam get-login-profile --user-name alice
expect_eq "account summary" "3 1 1" "$(aws iam get-account-summary --query 'SummaryMap.[Users,Groups,Policies]' --output text | tr '\t' ' ')"

# boto3 drives the same endpoint.
python3 - <<'PY' && pass "boto3 get_caller_identity and list_users" || fail "boto3"
import boto3, os
sts = boto3.client("sts", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
assert sts.get_caller_identity()["Arn"] == "arn:aws:iam::111111111111:user/admin"
iam = boto3.client("iam", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
assert [u["UserName"] for u in iam.list_users()["Users"]] == ["admin", "alice", "gus"]
assert [g["GroupName"] for g in iam.list_groups_for_user(UserName="gus")["Groups"]] == ["Readers"]
doc = iam.get_policy_version(PolicyArn="arn:aws:iam::111111111111:policy/ListUsers", VersionId="v1")["PolicyVersion"]["Document"]
assert doc["Statement"][0]["Action"] == ["iam:ListUsers", "iam:GetUser"], doc
r = iam.simulate_custom_policy(PolicyInputList=['{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}'],
                               ActionNames=["s3:GetObject"])["EvaluationResults"][0]
assert r["EvalDecision"] == "explicitDeny" and r["MatchedStatements"][0]["SourcePolicyId"] == "PolicyInputList.1", r
try:
    iam.get_user(UserName="nobody")
    raise SystemExit("expected NoSuchEntity")
except iam.exceptions.NoSuchEntityException:
    pass
PY

# kill -9 loses nothing acknowledged.
kill -9 "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=
start_server "$WORK/data"
expect_eq "alice survives kill -9" "arn:aws:iam::111111111111:user/ops/alice" \
  "$(aws iam get-user --user-name alice --query User.Arn --output text)"
expect_eq "alice's key survives kill -9" "arn:aws:iam::111111111111:user/ops/alice" \
  "$(as_alice aws sts get-caller-identity --query Arn --output text)"
expect_eq "group membership survives kill -9" "gus" "$(aws iam get-group --group-name Readers --query 'Users[].UserName' --output text)"
expect_eq "policy default version survives kill -9" "v2" "$(aws iam get-policy --policy-arn "$POLICY_ARN" --query Policy.DefaultVersionId --output text)"
expect_error "v2 still decides after kill -9" AccessDenied as_gus aws iam list-users
expect_eq "login profile survives kill -9" "gus" "$(aws iam get-login-profile --user-name gus --query LoginProfile.UserName --output text)"
expect_eq "account alias survives kill -9" "scenario-corp" "$(aws iam list-account-aliases --query 'AccountAliases[0]' --output text)"
expect_eq "no second bootstrap" "1" "$(grep -c '^export' "$WORK/data/bootstrap-credentials")"

summary
