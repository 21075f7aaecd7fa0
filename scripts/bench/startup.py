"""Start-up time of `rootward serve` over a stored state (issue 15): fill a
data directory with ACCOUNTS member accounts and USERS IAM users (each with
an inline policy and an access key) through boto3, stop the server, then
start it again RUNS times and time each start until the health check answers.

  python3 startup.py ROOTWARD_BIN [ACCOUNTS] [USERS] [RUNS]

STARTUP_DATA=DIR keeps the filled data directory in DIR and, when DIR
already holds one, times the starts over it without filling again (to
compare builds over the same state).
"""
import concurrent.futures
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

import boto3

KEY = "AKIABENCHSTART000001"
SECRET = "benchStartSecret00000000000000000000000"
POLICY = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}'


def start(binary, data):
    env = dict(os.environ, ROOTWARD_BOOTSTRAP_ACCESS_KEY_ID=KEY, ROOTWARD_BOOTSTRAP_SECRET_ACCESS_KEY=SECRET)
    t0 = time.perf_counter()
    p = subprocess.Popen([binary, "serve", "--listen", "127.0.0.1:0", "--data", data, "--account-id", "111111111111"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    url = None
    for line in p.stdout:
        if line.startswith("listening on "):
            url = line.split()[-1]
            break
    while True:
        try:
            if urllib.request.urlopen(url + "/_rootward/health", timeout=1).status == 200:
                break
        except OSError:
            time.sleep(0.0005)
    return p, url, time.perf_counter() - t0


def main():
    binary = sys.argv[1]
    accounts = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    users = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    data = os.environ.get("STARTUP_DATA") or tempfile.mkdtemp() + "/data"
    if os.path.isdir(data):
        time_starts(binary, data, runs, "(kept)")
        return
    p, url, _ = start(binary, data)
    kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id=KEY, aws_secret_access_key=SECRET)
    org = boto3.client("organizations", **kw)
    iam = boto3.client("iam", **kw)
    org.create_organization(FeatureSet="ALL")

    def account(i):
        boto3.client("organizations", **kw).create_account(Email=f"a{i}@example.com", AccountName=f"a{i}")

    def user(i):
        c = boto3.client("iam", **kw)
        c.create_user(UserName=f"u{i}")
        c.put_user_policy(UserName=f"u{i}", PolicyName="read", PolicyDocument=POLICY)
        c.create_access_key(UserName=f"u{i}")

    t = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(16) as ex:
        list(ex.map(account, range(accounts)))
        list(ex.map(user, range(users)))
    fill = time.perf_counter() - t
    n_accounts = sum(len(pg["Accounts"]) for pg in org.get_paginator("list_accounts").paginate())
    n_users = sum(len(pg["Users"]) for pg in iam.get_paginator("list_users").paginate())
    p.terminate()
    p.wait()
    time_starts(binary, data, runs, f"{n_accounts} accounts, {n_users} users (each with an inline policy and an access key), "
                f"filled in {fill:.1f} s,")


def time_starts(binary, data, runs, what):
    size = sum(os.path.getsize(os.path.join(data, f)) for f in os.listdir(data) if os.path.isfile(os.path.join(data, f)))
    times = []
    for _ in range(runs):
        p, _, dt = start(binary, data)
        times.append(dt)
        p.terminate()
        p.wait()
    print(f"state: {what} {size / 1e6:.1f} MB on disk")
    print(f"start to a healthy endpoint over {runs} runs: median {statistics.median(times) * 1000:.0f} ms, "
          f"min {min(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms")


main()
