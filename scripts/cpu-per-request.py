#!/usr/bin/env python3
"""Server CPU time per request of `rootward serve`, for A/B comparisons of
builds on a machine shared with other work (where requests per second swing
with the neighbours' load, the CPU the server process itself spends per
request does not, or much less).

For each binary, in alternating rounds: start it, replay one presigned
sts:GetCallerIdentity URL (POST, every request fully SigV4-verified and
recorded in the trail) at a fixed rate with the open-loop client
(crates/server/examples/open_loop.rs), then the health check (no SigV4) at
the same rate, and divide the process's user+system CPU time
(/proc/PID/stat) by the requests answered.

    python3 scripts/cpu-per-request.py BINARY [BINARY...] \
        [--rounds 3] [--rate 4000] [--seconds 10] [--open target/release/examples/open_loop]

Linux only; needs boto3 (to presign).
"""

import argparse
import os
import subprocess
import tempfile
import threading

KEY = "AKIACPUPERREQUEST001"
SECRET = "cpuPerRequestSecret000000000000000000000"


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime + stime
    return ticks / os.sysconf("SC_CLK_TCK")


def start(binary, data):
    env = dict(os.environ, ROOTWARD_BOOTSTRAP_ACCESS_KEY_ID=KEY, ROOTWARD_BOOTSTRAP_SECRET_ACCESS_KEY=SECRET)
    env.pop("RUST_LOG", None)
    p = subprocess.Popen([binary, "serve", "--listen", "127.0.0.1:0", "--data", data, "--account-id", "111111111111"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    for line in p.stdout:
        if line.startswith("listening on "):
            threading.Thread(target=lambda: [None for _ in p.stdout], daemon=True).start()
            return p, line.split()[-1]
    raise SystemExit(f"{binary} did not start")


def presign(url):
    import boto3
    sts = boto3.client("sts", endpoint_url=url, region_name="us-east-1",
                       aws_access_key_id=KEY, aws_secret_access_key=SECRET)
    return sts.generate_presigned_url("get_caller_identity", ExpiresIn=3600)


def drive(open_loop, pid, method, url, rate, seconds):
    before = cpu_seconds(pid)
    out = subprocess.run([open_loop, "-m", method, "-r", str(rate), "-c", "16", "-d", str(seconds), url],
                         capture_output=True, text=True)
    used = cpu_seconds(pid) - before
    line = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else out.stderr.strip()
    rps = float(line.split()[0]) if line and line.split()[0].replace(".", "").isdigit() else rate
    return used * 1e6 / (rps * seconds), line


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binaries", nargs="+")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--rate", type=int, default=4000)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--open", default="target/release/examples/open_loop")
    a = ap.parse_args()
    results = {b: [] for b in a.binaries}
    for r in range(a.rounds):
        for b in a.binaries:
            data = tempfile.mkdtemp()
            p, url = start(b, os.path.join(data, "d"))
            signed = presign(url)
            drive(a.open, p.pid, "POST", signed, a.rate, 2)  # warm up
            gci, gci_line = drive(a.open, p.pid, "POST", signed, a.rate, a.seconds)
            health, _ = drive(a.open, p.pid, "GET", url + "/_rootward/health", a.rate, a.seconds)
            p.terminate()
            p.wait()
            results[b].append((gci, health))
            print(f"round {r + 1} {b}: GetCallerIdentity {gci:.1f} µs CPU/request, health check {health:.1f} "
                  f"(open loop: {gci_line})", flush=True)
    for b, rs in results.items():
        g = sorted(x[0] for x in rs)
        h = sorted(x[1] for x in rs)
        print(f"{b}: GetCallerIdentity median {g[len(g) // 2]:.1f} µs CPU/request (range {g[0]:.1f}-{g[-1]:.1f}); "
              f"health check median {h[len(h) // 2]:.1f}")


if __name__ == "__main__":
    main()
