#!/usr/bin/env bash
# Scenario: the root user of a signed-up account, through the sign-in page
# stand-ins (curl) and the real AWS CLI: sign-up, sign-in, a root access key,
# root MFA enrolment and sign-in with a code, signing certificates, the
# credential report, the forgotten-password flow, and a kill -9 restart.
set -uo pipefail
cd "$(dirname "$0")/.."
. scenarios/lib.sh

WORK=$(mktemp -d)
trap 'stop_server; rm -rf "$WORK"' EXIT
export AWS_ACCESS_KEY_ID=AKIASCENARIOADMIN001 AWS_SECRET_ACCESS_KEY=scenarioAdminSecret0123456789abcdefghij
export ROOTWARD_BOOTSTRAP_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID ROOTWARD_BOOTSTRAP_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null

# page PATH JSON: POST to a stand-in; prints "STATUS BODY".
page() {
  curl -s -o "$WORK/out" -w '%{http_code}' -H 'content-type: application/json' \
    -X POST --data "$2" "$AWS_ENDPOINT_URL/_rootward/$1"
  printf ' %s' "$(cat "$WORK/out")"
}
# field NAME: a top-level (or credentials.) field of the last answer.
field() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval("d"+sys.argv[2]))' "$WORK/out" "$1"; }
# totp SEED [OFFSET]: the RFC 6238 code of a base32 seed now (+OFFSET s).
totp() {
  python3 - "$1" "${2:-0}" <<'PY'
import base64, hashlib, hmac, struct, sys, time
key = base64.b32decode(sys.argv[1] + "=" * (-len(sys.argv[1]) % 8))
step = (int(time.time()) + int(sys.argv[2])) // 30
d = hmac.new(key, struct.pack(">q", step), hashlib.sha1).digest()
o = d[-1] & 15
print("%06d" % ((struct.unpack(">I", d[o:o + 4])[0] & 0x7fffffff) % 1000000))
PY
}

echo "== root user scenario (AWS CLI: $(aws --version 2>&1))"
start_server "$WORK/data"

EMAIL=owner@example.com PW='Correct-Horse-1'
expect_eq "sign-up" "200" "$(page signup "{\"email\":\"$EMAIL\",\"password\":\"$PW\",\"account_name\":\"scenario\"}" | cut -d' ' -f1)"
ACCT=$(field '["account_id"]')
expect_eq "duplicate e-mail" "409" "$(page signup "{\"email\":\"$EMAIL\",\"password\":\"$PW\",\"account_name\":\"x\"}" | cut -d' ' -f1)"
expect_eq "malformed JSON" "400" "$(page signin '{"email":' | cut -d' ' -f1)"
expect_eq "wrong password" "401" "$(page signin "{\"email\":\"$EMAIL\",\"password\":\"Wrong-Horse-1\"}" | cut -d' ' -f1)"

signin() { # signin [MFA_CODE] [PASSWORD]: sets S_KEY S_SECRET S_TOKEN
  local code=${1:-} pw=${2:-$PW}
  page signin "{\"email\":\"$EMAIL\",\"password\":\"$pw\",\"mfa_code\":\"$code\"}" >/dev/null
  S_KEY=$(field '["credentials"]["AccessKeyId"]'); S_SECRET=$(field '["credentials"]["SecretAccessKey"]'); S_TOKEN=$(field '["credentials"]["SessionToken"]')
}
as_session() { AWS_ACCESS_KEY_ID=$S_KEY AWS_SECRET_ACCESS_KEY=$S_SECRET AWS_SESSION_TOKEN=$S_TOKEN "$@"; }
signin
expect_eq "sign-in session is the root user" "arn:aws:iam::$ACCT:root" \
  "$(as_session aws sts get-caller-identity --query Arn --output text)"

read -r R_KEY R_SECRET < <(as_session aws iam create-access-key --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
as_root() { AWS_ACCESS_KEY_ID=$R_KEY AWS_SECRET_ACCESS_KEY=$R_SECRET "$@"; }
expect_eq "root long-term key" "arn:aws:iam::$ACCT:root" "$(as_root aws sts get-caller-identity --query Arn --output text)"
expect_eq "root access keys present" "1" \
  "$(as_root aws iam get-account-summary --query 'SummaryMap.AccountAccessKeysPresent' --output text)"

# Root MFA at the sign-in page.
page mfa/create "{\"email\":\"$EMAIL\",\"password\":\"$PW\"}" >/dev/null
SERIAL=$(field '["serial_number"]'); SEED=$(field '["base32_seed"]')
expect_eq "root device serial" "arn:aws:iam::$ACCT:mfa/root-account-mfa-device" "$SERIAL"
expect_eq "enable root MFA" "200" "$(page mfa/enable "{\"email\":\"$EMAIL\",\"password\":\"$PW\",\"serial_number\":\"$SERIAL\",\"code1\":\"$(totp "$SEED" -60)\",\"code2\":\"$(totp "$SEED" -30)\"}" | cut -d' ' -f1)"
expect_eq "sign-in without the code" "401" "$(page signin "{\"email\":\"$EMAIL\",\"password\":\"$PW\"}" | cut -d' ' -f1)"
signin "$(totp "$SEED")"
expect_eq "sign-in with the code" "arn:aws:iam::$ACCT:root" "$(as_session aws sts get-caller-identity --query Arn --output text)"
expect_eq "root MFA listed" "$SERIAL" "$(as_root aws iam list-mfa-devices --query 'MFADevices[0].SerialNumber' --output text)"
expect_eq "AccountMFAEnabled" "1" "$(as_root aws iam get-account-summary --query 'SummaryMap.AccountMFAEnabled' --output text)"
expect_error "assigned device cannot be deleted" DeleteConflict as_root aws iam delete-virtual-mfa-device --serial-number "$SERIAL"

# Signing certificates of the root user.
cp crates/server/tests/api/fixtures/cert3.pem "$WORK/cert.pem"
CERT=$(as_root aws iam upload-signing-certificate --certificate-body "file://$WORK/cert.pem" --query Certificate.CertificateId --output text)
expect_eq "root certificate listed" "$CERT" "$(as_root aws iam list-signing-certificates --query 'Certificates[0].CertificateId' --output text)"
expect_error "duplicate certificate" DuplicateCertificate as_root aws iam upload-signing-certificate --certificate-body "file://$WORK/cert.pem"

# Credential report.
expect_eq "report generation starts" "STARTED" "$(as_root aws iam generate-credential-report --query State --output text)"
as_root aws iam get-credential-report --query Content --output text | base64 -d >"$WORK/report.csv"
expect_eq "report root row" "<root_account>,arn:aws:iam::$ACCT:root" "$(sed -n 2p "$WORK/report.csv" | cut -d, -f1,2)"
expect_eq "report root MFA and cert" "true true" \
  "$(sed -n 2p "$WORK/report.csv" | awk -F, '{print $8, $19}')"

# Forgotten password: the mail goes to the outbox (and DATA/outbox/).
page forgot-password "{\"email\":\"$EMAIL\"}" >/dev/null
curl -s "$AWS_ENDPOINT_URL/_rootward/outbox?email=$EMAIL" >"$WORK/out"
TOKEN=$(field '[-1]["token"]')
expect_eq "outbox file written" "1" "$(ls "$WORK/data/outbox" | wc -l)"
expect_eq "reset password" "200" "$(page reset-password "{\"token\":\"$TOKEN\",\"new_password\":\"New-Horse-22\"}" | cut -d' ' -f1)"
expect_eq "token is single-use" "400" "$(page reset-password "{\"token\":\"$TOKEN\",\"new_password\":\"New-Horse-33\"}" | cut -d' ' -f1)"
# A code is good once: the next step's (one step of drift is allowed), and
# this one is refused again after the restart below.
CODE=$(totp "$SEED" 30)
signin "$CODE" New-Horse-22
expect_eq "sign-in with the new password" "arn:aws:iam::$ACCT:root" "$(as_session aws sts get-caller-identity --query Arn --output text)"

# kill -9 loses nothing acknowledged.
kill -9 "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null; SERVER_PID=
start_server "$WORK/data"
expect_eq "root MFA survives kill -9" "$SERIAL" "$(as_root aws iam list-mfa-devices --query 'MFADevices[0].SerialNumber' --output text)"
expect_eq "root certificate survives kill -9" "$CERT" "$(as_root aws iam list-signing-certificates --query 'Certificates[0].CertificateId' --output text)"
expect_eq "a used MFA code stays used after kill -9" "401" \
  "$(page signin "{\"email\":\"$EMAIL\",\"password\":\"New-Horse-22\",\"mfa_code\":\"$CODE\"}" | cut -d' ' -f1)"
sleep $((31 - $(date +%s) % 30)) # into the next step: a code not used yet
signin "$(totp "$SEED" 30)" New-Horse-22
expect_eq "new password survives kill -9" "arn:aws:iam::$ACCT:root" "$(as_session aws sts get-caller-identity --query Arn --output text)"

stop_server
summary
