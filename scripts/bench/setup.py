"""Benchmark setup (scripts/bench-wrk.sh): the state the four measured calls
need, made through boto3 against a running `rootward serve`, then one
botocore-signed request per call, written as wrk Lua scripts for each host.

  python3 setup.py ROOTWARD_URL OUTDIR      -> OUTDIR/targets.json
  python3 setup.py --sign OUTDIR HOST_URL TAG -> OUTDIR/TAG-<name>.lua
"""
import json
import sys

import boto3
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

KEY = "AKIABENCHWRK00000001"
SECRET = "benchWrkSecret000000000000000000000000000"


def client(service, url, key=KEY, secret=SECRET, token=None):
    return boto3.client(
        service,
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        aws_session_token=token,
    )


def creds(c):
    return (c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])


def setup(url, out):
    org = client("organizations", url)
    org.create_organization(FeatureSet="ALL")
    root_id = org.list_roots()["Roots"][0]["Id"]
    ou = org.create_organizational_unit(ParentId=root_id, Name="Workloads")["OrganizationalUnit"]["Id"]
    status = org.create_account(Email="bench@example.com", AccountName="bench")["CreateAccountStatus"]
    member = org.describe_create_account_status(CreateAccountRequestId=status["Id"])["CreateAccountStatus"]["AccountId"]
    org.move_account(AccountId=member, SourceParentId=root_id, DestinationParentId=ou)
    deny = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["ec2:*","rds:*"],"Resource":"*"}]}'
    for i, target in enumerate([root_id, ou, member]):
        p = org.create_policy(Content=deny, Description="bench", Name=f"deny{i}", Type="SERVICE_CONTROL_POLICY")
        org.attach_policy(PolicyId=p["Policy"]["PolicySummary"]["Id"], TargetId=target)
    sts = client("sts", url)
    admin = creds(sts.assume_role(
        RoleArn=f"arn:aws:iam::{member}:role/OrganizationAccountAccessRole",
        RoleSessionName="setup")["Credentials"])
    miam = client("iam", url, *admin)
    trust = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}'
    miam.create_role(RoleName="Reader", AssumeRolePolicyDocument=trust)
    try:
        miam.attach_role_policy(RoleName="Reader", PolicyArn="arn:aws:iam::aws:policy/IAMReadOnlyAccess")
    except miam.exceptions.NoSuchEntityException:
        # Builds before the AWS managed policy catalogue: the same rights inline.
        miam.put_role_policy(RoleName="Reader", PolicyName="read", PolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*","iam:Generate*"],"Resource":"*"}]}')
    miam.put_role_policy(RoleName="Reader", PolicyName="extra", PolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:DeleteRole","Resource":"*"}]}')
    reader = creds(sts.assume_role(RoleArn=f"arn:aws:iam::{member}:role/Reader", RoleSessionName="bench", DurationSeconds=3600)["Credentials"])
    client("iam", url, *reader).list_users()
    iam = client("iam", url)
    iam.create_role(RoleName="bench", AssumeRolePolicyDocument=trust)
    s3 = boto3.client("s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id=KEY,
                      aws_secret_access_key=SECRET, config=boto3.session.Config(s3={"addressing_style": "path"}))
    s3.create_bucket(Bucket="bench-bucket")
    # S3, like AWS, refuses a policy that names principals that do not exist.
    for i in range(20):
        iam.create_role(RoleName=f"r{i}", AssumeRolePolicyDocument=trust)
    statements = [
        {"Sid": f"S{i}", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::111111111111:role/r{i}"},
         "Action": ["s3:GetObject", "s3:ListBucket"],
         "Resource": ["arn:aws:s3:::bench-bucket", f"arn:aws:s3:::bench-bucket/p{i}/*"],
         "Condition": {"IpAddress": {"aws:SourceIp": f"10.{i}.0.0/16"}}}
        for i in range(20)
    ]
    s3.put_bucket_policy(Bucket="bench-bucket", Policy=json.dumps({"Version": "2012-10-17", "Statement": statements}))
    s3.get_bucket_policy(Bucket="bench-bucket")
    targets = [
        {"name": "GetCallerIdentity", "service": "sts", "method": "POST", "path": "/",
         "body": "Action=GetCallerIdentity&Version=2011-06-15", "creds": [KEY, SECRET, None]},
        {"name": "ListUsers", "service": "iam", "method": "POST", "path": "/",
         "body": "Action=ListUsers&Version=2010-05-08", "creds": list(reader)},
        {"name": "GetBucketPolicy", "service": "s3", "method": "GET", "path": "/bench-bucket?policy=",
         "body": "", "creds": [KEY, SECRET, None]},
        {"name": "AssumeRole", "service": "sts", "method": "POST", "path": "/",
         "body": "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2Fbench&RoleSessionName=wrk",
         "creds": [KEY, SECRET, None]},
    ]
    with open(f"{out}/targets.json", "w") as f:
        json.dump(targets, f)
    print(" ".join(f"{t['creds'][0]}={t['creds'][1]}" for t in targets if t["creds"][0] != KEY) + f" {KEY}={SECRET}")


def lua(s):
    return json.dumps(s)


def sign(out, host_url, tag):
    with open(f"{out}/targets.json") as f:
        targets = json.load(f)
    for t in targets:
        key, secret, token = t["creds"]
        headers = {}
        if t["method"] == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
        req = AWSRequest(method=t["method"], url=host_url + t["path"], data=t["body"].encode(), headers=headers)
        c = Credentials(key, secret, token)
        if t["service"] == "s3":
            req.headers["X-Amz-Content-SHA256"] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
            S3SigV4Auth(c, "s3", "us-east-1").add_auth(req)
        else:
            SigV4Auth(c, t["service"], "us-east-1").add_auth(req)
        lines = [f"wrk.method = {lua(t['method'])}", f"wrk.path = {lua(t['path'])}"]
        if t["body"]:
            lines.append(f"wrk.body = {lua(t['body'])}")
        for k, v in req.headers.items():
            if k.lower() in ("host", "content-length"):
                continue
            lines.append(f"wrk.headers[{lua(k)}] = {lua(v)}")
        with open(f"{out}/{tag}-{t['name']}.lua", "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    if sys.argv[1] == "--sign":
        sign(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        setup(sys.argv[1], sys.argv[2])
