#!/usr/bin/env python3
"""Re-creates the trimmed service models under models/ from a botocore install.

Usage: python3 xtask/trim_models.py [BOTOCORE_DATA_DIR]

BOTOCORE_DATA_DIR defaults to the data/ directory of the importable botocore
package. The trimming rule (models/README.md): keep every key code generation
reads, drop the prose (`documentation`, `documentationUrl`, `deprecatedMessage`,
`examples`); for EC2 keep only the operations in EC2_OPERATIONS and the shapes
they reach. Output keeps botocore's key order (member order is meaningful),
one-space indent, so diffs between botocore releases read well.
"""

import gzip
import json
import os
import sys

# service -> API version directory in botocore's data/.
SERVICES = {
    "account": "2021-02-01",
    "cloudtrail": "2013-11-01",
    "ec2": "2016-11-15",
    "iam": "2010-05-08",
    "organizations": "2016-11-28",
    "s3": "2006-03-01",
    "sqs": "2012-11-05",
    "sts": "2011-06-15",
}

# EC2 is huge; only these operations are (or will soon be) served.
EC2_OPERATIONS = ["DescribeRegions"]

PROSE = {"documentation", "documentationUrl", "deprecatedMessage", "examples"}


def strip(value):
    if isinstance(value, dict):
        return {k: strip(v) for k, v in value.items() if k not in PROSE}
    if isinstance(value, list):
        return [strip(v) for v in value]
    return value


def reachable(model, operations):
    seen = set()
    todo = []
    for name in operations:
        op = model["operations"][name]
        for key in ("input", "output"):
            if key in op:
                todo.append(op[key]["shape"])
        todo.extend(e["shape"] for e in op.get("errors", []))
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        shape = model["shapes"][name]
        for member in shape.get("members", {}).values():
            todo.append(member["shape"])
        for key in ("member", "key", "value"):
            if key in shape:
                todo.append(shape[key]["shape"])
    return seen


def main():
    if len(sys.argv) > 1:
        data = sys.argv[1]
    else:
        import botocore

        data = os.path.join(os.path.dirname(botocore.__file__), "data")
    root = os.path.normpath(
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models")
    )
    try:
        import botocore

        version = botocore.__version__
    except ImportError:
        version = "unknown"
    with open(os.path.join(root, "SOURCE"), "w") as f:
        f.write(f"botocore {version}\n")
    for service, version in sorted(SERVICES.items()):
        path = os.path.join(data, service, version, "service-2.json")
        opener = gzip.open if os.path.exists(path + ".gz") else open
        with opener(path + ".gz" if opener is gzip.open else path, "rt") as f:
            model = json.load(f)
        if service == "ec2":
            keep = reachable(model, EC2_OPERATIONS)
            model["operations"] = {k: model["operations"][k] for k in EC2_OPERATIONS}
            model["shapes"] = {k: v for k, v in model["shapes"].items() if k in keep}
        model = strip(model)
        out = os.path.join(root, service + ".json")
        with open(out, "w") as f:
            json.dump(model, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print(f"{out}: {len(model['operations'])} operations, {len(model['shapes'])} shapes")


if __name__ == "__main__":
    main()
