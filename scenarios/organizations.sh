#!/usr/bin/env bash
# Scenario: a landing zone with the real AWS CLI and boto3 — an organization,
# OUs, created accounts, an SCP that bounds one OU (checked from inside the
# accounts through OrganizationAccountAccessRole), trusted access and a
# delegated administrator, paging, and a kill -9 restart.
set -uo pipefail
cd "$(dirname "$0")/.."
. scenarios/lib.sh

WORK=$(mktemp -d)
trap 'stop_server; rm -rf "$WORK"' EXIT
export AWS_ACCESS_KEY_ID=AKIASCENARIOADMIN001 AWS_SECRET_ACCESS_KEY=scenarioAdminSecret0123456789abcdefghij
export ROOTWARD_BOOTSTRAP_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID ROOTWARD_BOOTSTRAP_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null

echo "== organizations scenario (AWS CLI: $(aws --version 2>&1))"
start_server "$WORK/data"

expect_error "no organization yet" AWSOrganizationsNotInUseException aws organizations describe-organization
ORG_ID=$(aws organizations create-organization --feature-set ALL --query Organization.Id --output text)
expect_eq "organization created" "o-" "${ORG_ID:0:2}"
expect_eq "management account" "111111111111" "$(aws organizations describe-organization --query Organization.MasterAccountId --output text)"
ROOT_ID=$(aws organizations list-roots --query 'Roots[0].Id' --output text)
expect_eq "SCPs enabled on the root" "SERVICE_CONTROL_POLICY ENABLED" \
  "$(aws organizations list-roots --query 'Roots[0].PolicyTypes[0].[Type,Status]' --output text | tr '\t' ' ')"

SECURITY=$(aws organizations create-organizational-unit --parent-id "$ROOT_ID" --name Security --query OrganizationalUnit.Id --output text)
WORKLOADS=$(aws organizations create-organizational-unit --parent-id "$ROOT_ID" --name Workloads --query OrganizationalUnit.Id --output text)
expect_eq "two OUs under the root" "Security Workloads" \
  "$(aws organizations list-organizational-units-for-parent --parent-id "$ROOT_ID" --query 'sort(OrganizationalUnits[].Name)' --output text | tr '\t' ' ')"
expect_error "duplicate OU" DuplicateOrganizationalUnitException aws organizations create-organizational-unit --parent-id "$ROOT_ID" --name Security

create_account() {
  local req
  req=$(aws organizations create-account --email "$1@example.com" --account-name "$1" --query CreateAccountStatus.Id --output text)
  aws organizations describe-create-account-status --create-account-request-id "$req" --query CreateAccountStatus.AccountId --output text
}
AUDIT=$(create_account audit)
APP=$(create_account app)
expect_eq "accounts created" "12 12" "${#AUDIT} ${#APP}"
aws organizations move-account --account-id "$AUDIT" --source-parent-id "$ROOT_ID" --destination-parent-id "$SECURITY" && pass "move audit to Security"
aws organizations move-account --account-id "$APP" --source-parent-id "$ROOT_ID" --destination-parent-id "$WORKLOADS" && pass "move app to Workloads"
expect_eq "app's parent" "$WORKLOADS" "$(aws organizations list-parents --child-id "$APP" --query 'Parents[0].Id' --output text)"
expect_eq "three accounts, paged by two" "3" "$(aws organizations list-accounts --page-size 2 --query 'Accounts[].Id' --output text | wc -w)"

SCP_ID=$(aws organizations create-policy --name DenyIamUsers --description "no IAM users in workloads" --type SERVICE_CONTROL_POLICY \
  --content '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:CreateUser","Resource":"*"}]}' \
  --query Policy.PolicySummary.Id --output text)
aws organizations attach-policy --policy-id "$SCP_ID" --target-id "$WORKLOADS" && pass "attach SCP to Workloads"
expect_error "policy in use" PolicyInUseException aws organizations delete-policy --policy-id "$SCP_ID"
expect_error "malformed SCP" MalformedPolicyDocumentException aws organizations create-policy --name Bad --description "" \
  --type SERVICE_CONTROL_POLICY --content '{"Statement":'

# Into each account through OrganizationAccountAccessRole.
as_member() {
  local account=$1; shift
  local creds
  creds=$(aws sts assume-role --role-arn "arn:aws:iam::$account:role/OrganizationAccountAccessRole" --role-session-name scenario \
    --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
  read -r K S T <<<"$creds"
  AWS_ACCESS_KEY_ID=$K AWS_SECRET_ACCESS_KEY=$S AWS_SESSION_TOKEN=$T "$@"
}
expect_eq "the role lands in the app account" "arn:aws:sts::$APP:assumed-role/OrganizationAccountAccessRole/scenario" \
  "$(as_member "$APP" aws sts get-caller-identity --query Arn --output text)"
expect_error "the SCP denies CreateUser in app" AccessDenied as_member "$APP" aws iam create-user --user-name bob
as_member "$AUDIT" aws iam create-user --user-name bob >/dev/null && pass "audit (Security) may create users"
expect_error "a member may not list accounts" AccessDeniedException as_member "$AUDIT" aws organizations list-accounts

# Trusted access for IAM and a delegated administrator.
aws organizations enable-aws-service-access --service-principal iam.amazonaws.com && pass "trusted access for IAM"
aws organizations register-delegated-administrator --account-id "$AUDIT" --service-principal iam.amazonaws.com && pass "audit is delegated admin"
expect_eq "the delegated admin lists accounts" "3" "$(as_member "$AUDIT" aws organizations list-accounts --query 'length(Accounts)' --output text)"
expect_error "trusted access stays while delegated" ConstraintViolationException aws organizations disable-aws-service-access --service-principal iam.amazonaws.com

# boto3 sees the same organization and the same error codes.
python3 - "$APP" <<'PY' && pass "boto3 organizations" || fail "boto3 organizations"
import boto3, os, sys, botocore
org = boto3.client("organizations", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
ids = [a["Id"] for page in org.get_paginator("list_accounts").paginate(PaginationConfig={"PageSize": 1}) for a in page["Accounts"]]
assert len(ids) == 3 and sys.argv[1] in ids, ids
try:
    org.disable_aws_service_access(ServicePrincipal="iam.amazonaws.com")
    raise SystemExit("expected ConstraintViolationException")
except org.exceptions.ConstraintViolationException as e:
    assert e.response["Reason"] == "DELEGATED_ADMINISTRATOR_EXISTS_FOR_THIS_SERVICE", e.response
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 400
PY

# Closing an account: CLOSED at once (Status SUSPENDED), and its principals are refused.
OLD=$(create_account old)
read -r OK OS OT < <(aws sts assume-role --role-arn "arn:aws:iam::$OLD:role/OrganizationAccountAccessRole" --role-session-name before \
  --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
aws organizations close-account --account-id "$OLD" && pass "close-account"
expect_eq "the closed account is CLOSED (Status SUSPENDED)" "CLOSED SUSPENDED" "$(aws organizations describe-account --account-id "$OLD" --query '[Account.State, Account.Status]' --output text | tr '\t' ' ')"
expect_error "its session is refused" InvalidClientTokenId env AWS_ACCESS_KEY_ID="$OK" AWS_SECRET_ACCESS_KEY="$OS" AWS_SESSION_TOKEN="$OT" aws sts get-caller-identity
expect_error "no new session into it" AccessDenied aws sts assume-role --role-arn "arn:aws:iam::$OLD:role/OrganizationAccountAccessRole" --role-session-name after
expect_error "closed once" AccountAlreadyClosedException aws organizations close-account --account-id "$OLD"

# kill -9 loses nothing acknowledged.
kill -9 "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=
start_server "$WORK/data"
expect_eq "organization survives kill -9" "$ORG_ID" "$(aws organizations describe-organization --query Organization.Id --output text)"
expect_eq "accounts survive kill -9" "3 1" "$(aws organizations list-accounts --query "[length(Accounts[?State=='ACTIVE']), length(Accounts[?State=='CLOSED'])]" --output text | tr '\t' ' ')"
expect_error "the SCP still binds after restart" AccessDenied as_member "$APP" aws iam create-user --user-name carol
expect_eq "delegation survives" "$AUDIT" \
  "$(aws organizations list-delegated-administrators --service-principal iam.amazonaws.com --query 'DelegatedAdministrators[0].Id' --output text)"

summary
