"""The console walk of issue 16, in headless Chromium over WebDriver.

Started by scenarios/console.sh with a `rootward serve --demo` running
(its log in $WORK/serve.log). Sets up a deny-all bucket and queue and an
audit-only operator with boto3, starts two `rootward console` processes,
and walks the pages; every step saves a screenshot in $SHOTS and checks
what the page shows against the CLI (`rootward audit --output json`) or
the endpoint.
"""

import http.server
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import boto3
from botocore.config import Config
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

BIN = os.environ["ROOTWARD_BIN"]
WORK = os.environ["WORK"]
SHOTS = os.environ["SHOTS"]
PASSED = 0
FAILED = 0
PROCS = []


def ok(what):
    global PASSED
    PASSED += 1
    print(f"  ok: {what}", flush=True)


def bad(what):
    global FAILED
    FAILED += 1
    print(f"  FAILED: {what}", flush=True)


def check(cond, what):
    (ok if cond else bad)(what)
    return cond


# --- the demo's credentials -------------------------------------------------
log = open(os.path.join(WORK, "serve.log")).read()
ENDPOINT = re.search(r"^listening on (\S+)", log, re.M).group(1)
exports = re.findall(r"^export AWS_ACCESS_KEY_ID=(\S+) AWS_SECRET_ACCESS_KEY=(\S+)", log, re.M)
ADMIN, ALICE = exports[0], exports[1]
ids = dict(re.findall(r"(Breaking Glass|Sandbox|Legacy Payments|Legacy Data|Legacy Web) (\d{12})", log))
BG, SANDBOX, PAYMENTS, DATA, WEB = (ids[n] for n in ["Breaking Glass", "Sandbox", "Legacy Payments", "Legacy Data", "Legacy Web"])
ALICE_ARN = f"arn:aws:iam::{BG}:user/breakglass/breakglass-alice"


def client(service, key, **kw):
    return boto3.client(service, endpoint_url=ENDPOINT, region_name="us-east-1",
                        aws_access_key_id=key[0], aws_secret_access_key=key[1],
                        aws_session_token=key[2] if len(key) > 2 else None, **kw)


def role_in(account):
    c = client("sts", ADMIN).assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole", RoleSessionName="walk-setup")["Credentials"]
    return (c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])


# --- set-up through boto3: a deny-all bucket and queue, an audit-only operator
sandbox = role_in(SANDBOX)
BUCKET = f"locked-{SANDBOX}"
DENY_BUCKET = json.dumps({"Version": "2012-10-17", "Statement": [{"Sid": "DenyAll", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                          "Resource": [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"]}]})
s3 = client("s3", sandbox, config=Config(s3={"addressing_style": "path"}))
s3.create_bucket(Bucket=BUCKET)
s3.put_bucket_policy(Bucket=BUCKET, Policy=DENY_BUCKET)
sqs = client("sqs", sandbox)
QUEUE_URL = sqs.create_queue(QueueName="locked-queue")["QueueUrl"]
DENY_QUEUE = json.dumps({"Version": "2012-10-17", "Statement": [{"Sid": "DenyAll", "Effect": "Deny", "Principal": "*", "Action": "sqs:*",
                         "Resource": f"arn:aws:sqs:us-east-1:{SANDBOX}:locked-queue"}]})
sqs.set_queue_attributes(QueueUrl=QUEUE_URL, Attributes={"Policy": DENY_QUEUE})
try:
    s3.get_bucket_policy(Bucket=BUCKET)
    bad("the deny-all bucket locks its own account out")
except Exception:
    ok("the deny-all bucket locks its own account out")

bg_iam = client("iam", role_in(BG))
bg_iam.create_user(UserName="breakglass-auditor", Path="/breakglass/")
bg_iam.put_user_policy(UserName="breakglass-auditor", PolicyName="AuditOnly", PolicyDocument=json.dumps({
    "Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sts:AssumeRoot", "Resource": "*",
         "Condition": {"ArnEquals": {"sts:TaskPolicyArn": "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"}}},
        {"Effect": "Allow", "Action": ["organizations:Describe*", "organizations:List*", "iam:ListOrganizationsFeatures",
                                         "cloudtrail:LookupEvents"], "Resource": "*"}]}))
k = bg_iam.create_access_key(UserName="breakglass-auditor")["AccessKey"]
AUDITOR = (k["AccessKeyId"], k["SecretAccessKey"])


def env_of(key):
    e = dict(os.environ)
    for v in ["AWS_PROFILE", "AWS_SESSION_TOKEN"]:
        e.pop(v, None)
    e.update(AWS_ACCESS_KEY_ID=key[0], AWS_SECRET_ACCESS_KEY=key[1], AWS_ENDPOINT_URL=ENDPOINT,
             AWS_REGION="us-east-1", ROOTWARD_LEDGER=os.path.join(WORK, "ledger.jsonl"))
    return e


def cli(*args, key=ALICE):
    r = subprocess.run([BIN, *args], env=env_of(key), capture_output=True, text=True, timeout=120)
    return r


def cli_classes(*accounts):
    sel = [a for acc in accounts for a in ("--account", acc)] or ["--all"]
    r = cli("audit", *sel, "--output", "json")
    return {row["account_id"]: row["class"] for row in json.loads(r.stdout)["accounts"]}


def start_console(key, name):
    logf = open(os.path.join(WORK, f"{name}.log"), "w")
    p = subprocess.Popen([BIN, "console", "--listen", "127.0.0.1:0", "--backup-dir", os.path.join(WORK, "backups")],
                         env=env_of(key), stdout=logf, stderr=subprocess.STDOUT)
    PROCS.append(p)
    for _ in range(200):
        text = open(os.path.join(WORK, f"{name}.log")).read()
        m = re.search(r"(http://[^\s]+/signin\?token=[0-9a-f]+)", text)
        if m:
            return m.group(1)
        time.sleep(0.1)
    raise SystemExit(f"console {name} did not start:\n{text}")


LINK = start_console(ALICE, "console-alice")
BASE = LINK.split("/signin")[0]
AUDIT_LINK = start_console(AUDITOR, "console-auditor")
AUDIT_BASE = AUDIT_LINK.split("/signin")[0]

profile = tempfile.mkdtemp(prefix="chromium-")
opts = webdriver.ChromeOptions()
for a in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          f"--user-data-dir={profile}", "--window-size=1280,1000"]:
    opts.add_argument(a)
opts.binary_location = "/usr/bin/chromium"
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
wait = WebDriverWait(driver, 60)
step_no = 0


def shot(name):
    global step_no
    step_no += 1
    path = os.path.join(SHOTS, f"{step_no:02d}-{name}.png")
    height = driver.execute_script("return Math.max(document.body.scrollHeight, 700)")
    driver.set_window_size(1280, min(height + 40, 2400))
    driver.save_screenshot(path)
    driver.set_window_size(1280, 1000)


def text():
    return driver.find_element(By.TAG_NAME, "body").text


def replaced(old):
    """A wait condition: the page that held `old` is gone."""
    def gone(_):
        try:
            old.tag_name
            return False
        except Exception:  # stale, or "does not belong to the document"
            return True
    return gone


def go(by, selector):
    """Clicks what navigates, and waits until the next page replaced this one."""
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(by, selector).click()
    wait.until(replaced(old))


def table_classes():
    """The class of every account row shown, once the audit is done."""
    wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, "#audit-progress")
               and "auditing…" not in d.find_element(By.TAG_NAME, "body").text)
    out = {}
    for tr in driver.find_elements(By.CSS_SELECTOR, "tr[data-account]"):
        out[tr.get_attribute("data-account")] = tr.find_element(By.CSS_SELECTOR, "td.class").text.strip()
    return out


try:
    print("== sign-in link, overview")
    driver.get(LINK)
    check(driver.current_url.rstrip("/") == BASE, "the sign-in link leads to the overview")
    body = text()
    check("Centralized root access is on" in body, "the overview says centralized root access is on")
    check(re.search(r"RootCredentialsManagement\s+yes", body) and re.search(r"RootSessions\s+yes", body), "both features on")
    check(re.search(rf"delegated administrators\s+{BG}", body) is not None, "the delegated administrator is shown")
    check(ALICE_ARN in body, "the operator's identity is shown")
    shot("overview")
    driver.get(LINK)
    check("not valid" in text(), "the sign-in link works once")

    print("== accounts")
    driver.get(BASE + "/accounts")
    shown = table_classes()
    cli_view = cli_classes()
    check(len(shown) == 5, f"the table lists the demo's 5 accounts ({len(shown)})")
    check(shown == cli_view, f"the table's classes equal `rootward audit --all --output json` ({shown} vs {cli_view})")
    check(shown.get(PAYMENTS) == "access-keys-present" and shown.get(DATA) == "password-without-mfa", "true classes")
    shot("accounts")
    export = json.loads(driver.execute_script(
        "return fetch('/accounts/export.json').then(r => r.text())"))
    check({r["account_id"]: r["class"] for r in export["accounts"]} == cli_view and set(export["summary"]) >= {"error", "no-root-credentials"},
          "the JSON export has the CLI's schema and classes")
    Select(driver.find_element(By.ID, "f-class")).select_by_value("access-keys-present")
    go(By.CSS_SELECTOR, "form.filters button")
    check(set(table_classes()) == {PAYMENTS, WEB}, "the class filter shows the two accounts with root keys")
    driver.find_element(By.ID, "f-q").clear()
    driver.get(BASE + "/accounts?q=legacy&sort=name&dir=desc")
    names = [tr.find_elements(By.TAG_NAME, "td")[1].text for tr in driver.find_elements(By.CSS_SELECTOR, "tr[data-account]")]
    check(names == ["Legacy Web", "Legacy Payments", "Legacy Data"], f"search and sort ({names})")

    print("== delete Legacy Payments' root credentials from its page")
    driver.get(BASE + "/accounts")
    go(By.LINK_TEXT, "Legacy Payments")
    body = text()
    check("access-keys-present" in body and "GetAccessKeyLastUsed" not in body and "Access keys" in body, "the detail page shows the findings")
    shot("detail-legacy-payments")
    go(By.XPATH, "//button[contains(., 'Delete root credentials')]")
    body = text()
    check("Delete root credentials of 1 account?" in body and "Legacy Payments" in body and PAYMENTS in body, "the confirmation names the account")
    shot("confirm-delete")
    go(By.CSS_SELECTOR, "main form button.danger")
    row = driver.find_element(By.CSS_SELECTOR, f"tr[data-account='{PAYMENTS}']")
    check(row.find_element(By.CSS_SELECTOR, "td.after").text == "no-root-credentials", "Legacy Payments becomes no-root-credentials")
    shot("deleted-legacy-payments")
    check(cli_classes(PAYMENTS) == {PAYMENTS: "no-root-credentials"}, "the CLI agrees")

    print("== bulk-delete the rest")
    driver.get(BASE + "/accounts")
    table_classes()
    for acc in [WEB, DATA]:
        driver.find_element(By.ID, f"sel-{acc}").click()
    go(By.CSS_SELECTOR, "#bulk button")
    body = text()
    check("Delete root credentials of 2 accounts?" in body and "Legacy Web" in body and "Legacy Data" in body, "one confirmation names both accounts")
    shot("confirm-bulk-delete")
    go(By.CSS_SELECTOR, "main form button.danger")
    afters = {tr.get_attribute("data-account"): tr.find_element(By.CSS_SELECTOR, "td.after").text
              for tr in driver.find_elements(By.CSS_SELECTOR, "tr[data-account]")}
    check(afters == {WEB: "no-root-credentials", DATA: "no-root-credentials"}, f"a result per account ({afters})")
    shot("bulk-deleted")
    check(set(cli_classes().values()) == {"no-root-credentials"}, "the CLI sees no root credentials left")

    print("== password recovery of Legacy Data in the root sign-in pages")
    def forgot_and_reset(password):
        driver.get(ENDPOINT + "/_rootward/forgot-password")
        driver.find_element(By.ID, "email").send_keys("data-root@example.com")
        go(By.CSS_SELECTOR, "form button")
        go(By.LINK_TEXT, "open the mailbox")
        old = driver.find_element(By.TAG_NAME, "html")
        driver.find_elements(By.LINK_TEXT, "Reset your password")[0].click()
        wait.until(replaced(old))
        driver.find_element(By.ID, "new").send_keys(password)
        driver.find_element(By.ID, "confirm").send_keys(password)
        go(By.CSS_SELECTOR, "form button")
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "p.ok, p.error"))
        return text()
    body = forgot_and_reset("Recovered-Passw0rd!")
    check("Password recovery is disabled" in body, "recovery is refused while centralized root access is on")
    shot("recovery-refused")
    driver.get(BASE + f"/accounts/{DATA}")
    go(By.XPATH, "//button[contains(., 'Allow password recovery')]")
    check("re-opens the root password" in text() and DATA in text(), "the confirmation warns and names the account")
    driver.find_element(By.ID, "reason").send_keys("INC-42")
    shot("confirm-recovery")
    go(By.CSS_SELECTOR, "main form button.danger")
    body = text()
    check("created" in body and "INC-42" in body and ALICE_ARN in body, "recovery allowed, with the reason and the requester")
    ledger = open(os.path.join(WORK, "ledger.jsonl")).read()
    check(DATA in ledger and "INC-42" in ledger, "written to the same ledger as allow-recovery")
    check(cli_classes(DATA) == {DATA: "recovery-enabled"}, "the CLI reads it as recovery-enabled")
    body = forgot_and_reset("Recovered-Passw0rd!")
    check("is set" in body, "the root e-mail owner resets the password")
    shot("password-reset")
    driver.get(ENDPOINT + "/_rootward/signin")
    driver.find_element(By.ID, "email").send_keys("data-root@example.com")
    driver.find_element(By.ID, "password").send_keys("Recovered-Passw0rd!")
    go(By.XPATH, "//button[contains(., 'Sign in as root')]")
    check(f"arn:aws:iam::{DATA}:root" in text(), "the root user signs in with the new password")
    shot("root-signed-in")
    driver.get(BASE + f"/accounts/{DATA}")
    check("password-without-mfa" in text(), "after the sign-in the account is a password again (PasswordLastUsed)")
    check(cli_classes(DATA) == {DATA: "password-without-mfa"}, "the CLI agrees")

    print("== unlock a deny-all bucket and a deny-all queue")
    driver.get(BASE + f"/accounts/{SANDBOX}")
    driver.find_element(By.ID, "bucket").send_keys(BUCKET)
    go(By.XPATH, "//button[contains(., 'Unlock bucket')]")
    check(BUCKET in text() and "Sandbox" in text(), "the confirmation names the bucket and the account")
    go(By.CSS_SELECTOR, "main form button.danger")
    body = text()
    check("deleted" in body and "DenyAll" in body, "bucket policy deleted; the backup shown")
    shot("bucket-unlocked")
    href = driver.find_element(By.LINK_TEXT, "Download").get_attribute("href")
    backup = driver.execute_script("return fetch(arguments[0]).then(r => r.text())", href)
    check(json.loads(backup) == json.loads(DENY_BUCKET), "the backup downloads with the old policy")
    try:
        s3.get_bucket_policy(Bucket=BUCKET)
        bad("the bucket has no policy any more")
    except s3.exceptions.ClientError as e:
        check(e.response["Error"]["Code"] == "NoSuchBucketPolicy", "the bucket has no policy any more")
    driver.get(BASE + f"/accounts/{SANDBOX}")
    driver.find_element(By.ID, "queue").send_keys(QUEUE_URL)
    go(By.XPATH, "//button[contains(., 'Unlock queue')]")
    go(By.CSS_SELECTOR, "main form button.danger")
    check("deleted" in text() and "DenyAll" in text(), "queue policy deleted; the backup shown")
    shot("queue-unlocked")
    attrs = sqs.get_queue_attributes(QueueUrl=QUEUE_URL, AttributeNames=["Policy"]).get("Attributes", {})
    check(not attrs.get("Policy"), "the queue has no policy any more")

    print("== activity")
    driver.get(BASE + "/activity")
    rows = [tr.text for tr in driver.find_elements(By.CSS_SELECTOR, "table.activity tbody tr")]
    for task, acc in [("IAMDeleteRootUserCredentials", PAYMENTS), ("IAMCreateRootUserPassword", DATA),
                      ("S3UnlockBucketPolicy", SANDBOX), ("SQSUnlockQueuePolicy", SANDBOX)]:
        if not check(any(task in r and acc in r and ALICE_ARN in r for r in rows), f"Activity shows {task} on {acc} by the operator"):
            print("    rows with this task:", [r for r in rows if task in r], len(rows))
            print("    CLI trail:", [e for e in json.loads(cli("trail", "--output", "json").stdout)["events"] if e["task"] == task])
    shot("activity")
    driver.get(BASE + "/activity?task=s3-unlock")
    rows = [tr.text for tr in driver.find_elements(By.CSS_SELECTOR, "table.activity tbody tr")]
    check(rows and all("S3UnlockBucketPolicy" in r for r in rows), "the task filter")

    print("== an audit-only operator")
    driver.get(AUDIT_LINK)
    driver.get(AUDIT_BASE + f"/delete?account={DATA}")
    go(By.CSS_SELECTOR, "main form button.danger")
    body = text()
    check("AccessDenied" in body and "is not authorized to perform: sts:AssumeRoot" in body, "the delete is refused with AWS's message")
    shot("audit-only-refused")

    print("== CSRF and Host")
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    def raw(url, data=None, host=None):
        # The console's name is `rw-<random>.localhost` (Chromium resolves it
        # to loopback; this resolver may not): connect to 127.0.0.1, send it.
        u = urllib.parse.urlsplit(url)
        req = urllib.request.Request(u._replace(netloc=f"127.0.0.1:{u.port}").geturl(), data=data,
                                     method="POST" if data is not None else "GET")
        req.add_header("Cookie", cookie)
        req.add_header("Host", host or u.netloc)
        try:
            with urllib.request.urlopen(req) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()
    status, body = raw(AUDIT_BASE + "/audit", data=b"")
    check(status == 403 and "security token" in body, "a POST without the CSRF token is refused")
    status, body = raw(AUDIT_BASE + "/audit", data=b"csrf=0000")
    check(status == 403, "a POST with a wrong CSRF token is refused")
    status, _ = raw(AUDIT_BASE + "/accounts", host="evil.example:80")
    check(status == 403, "a foreign Host header is refused")
    status, _ = raw(AUDIT_BASE + "/accounts")
    check(status == 200, "the same request with the console's Host passes")
    driver.get(AUDIT_BASE + "/accounts")
    headers = driver.execute_script("return fetch('/accounts').then(r => r.headers.get('content-security-policy'))")
    check(headers and "script-src 'self'" in headers and "frame-ancestors 'none'" in headers, "a strict Content-Security-Policy")
    cookies = driver.get_cookies()
    check(all(c.get("httpOnly") and c.get("sameSite") == "Strict" for c in cookies) and len(cookies) == 1, "the session cookie is HttpOnly and SameSite=Strict")
    check(re.fullmatch(r"http://rw-[a-z0-9]{12}\.localhost:\d+", BASE) is not None, f"the console has a host name of its own ({BASE})")
    port = urllib.parse.urlsplit(BASE).port
    driver.get(f"http://127.0.0.1:{port}/accounts")
    check(driver.current_url.startswith(BASE + "/accounts"), "127.0.0.1 is sent to the console's own name")
    if "Request refused" in text():  # Chromium marks the redirected navigation cross-site
        go(By.LINK_TEXT, "Open this page of the console")
    check("Accounts" in text() and "Request refused" not in text(), "where the accounts are shown")

    print("== another web service on 127.0.0.1")
    # A local web service (any port of 127.0.0.1) gets no console cookie,
    # and its page cannot make the console start root sessions: it is
    # another site, so SameSite=Strict withholds the cookie and the console
    # refuses what the browser marks as cross-site.
    seen = []
    class Other(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.headers.get("Cookie") or "")
            page = "".join(f'<img src="{b}/accounts/{SANDBOX}?n={i}">' for i in range(3) for b in (BASE, AUDIT_BASE))
            body = f"<!doctype html><title>other</title><p>another service</p>{page}".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass
    other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Other)
    threading.Thread(target=other.serve_forever, daemon=True).start()

    def audits_of(account):
        events = json.loads(cli("trail", "--output", "json").stdout)["events"]
        return sum(1 for e in events if e.get("target_account") == account and e.get("task") == "IAMAuditRootUserCredentials")
    before = audits_of(SANDBOX)
    driver.get(f"http://127.0.0.1:{other.server_port}/")
    time.sleep(2)
    other.shutdown()
    check(seen and not any("rootward_console" in c for c in seen), f"the other service received no console cookie ({seen})")
    check(audits_of(SANDBOX) == before, "its page started no root session in the console's name")
except Exception as e:  # a step that could not run is a failure, with its page
    bad(f"the walk stopped at step {step_no + 1}: {type(e).__name__}: {e}")
    try:
        shot("failure")
        print(text()[:2000])
    except Exception:
        pass
finally:
    driver.quit()
    for p in PROCS:
        p.terminate()
        p.wait(timeout=10)
    # Nothing of the root sessions reached the consoles' logs.
    for name in ["console-alice", "console-auditor"]:
        text_log = open(os.path.join(WORK, f"{name}.log")).read()
        check("ASIA" not in text_log and "SessionToken" not in text_log, f"no session credentials in the {name} log")

print(f"scenario: {PASSED} passed, {FAILED} failed")
sys.exit(0 if FAILED == 0 else 1)
