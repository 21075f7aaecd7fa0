#!/usr/bin/env python3
"""Measures the limits of `rootward serve` from outside, as an attacker
would (issue 12 items 5-7), against the release binary, each figure beside
the same run's idle baseline:

  1. memory: 30 connections each sending a 15 MB body with no Authorization
     header (the issue's attack), then the same with a real access key and a
     wrong signature (bodies that must be read before the signature can be
     checked): RSS before, the peak during, 3 s after, and after 50 more
     requests (mimalloc returns freed memory on its next calls);
  2. slow heads: connections sending one header byte per second, and how
     long each stays open;
  3. the connection cap: 3,000 idle connections, and how many are closed at
     once;
  4. shutdown: SIGTERM with a half-sent request, then a second signal.

    python3 scripts/edge-limits.py [--bin target/release/rootward]

Only the standard library; Linux (/proc) for RSS.
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

KEY = "AKIAEDGELIMITS000001"
SECRET = "edgeLimitsSecret000000000000000000000000"
MB15 = 15 * 1024 * 1024


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def start(binary, data, extra=()):
    env = dict(os.environ)
    env.update(ROOTWARD_BOOTSTRAP_ACCESS_KEY_ID=KEY, ROOTWARD_BOOTSTRAP_SECRET_ACCESS_KEY=SECRET)
    env.pop("RUST_LOG", None)
    p = subprocess.Popen(
        [binary, "serve", "--listen", "127.0.0.1:0", "--data", data, "--account-id", "111111111111", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True,
    )
    for line in p.stdout:
        if line.startswith("listening on http://"):
            host, port = line.strip()[len("listening on http://"):].split(":")
            threading.Thread(target=lambda: [None for _ in p.stdout], daemon=True).start()
            return p, (host, int(port))
    raise SystemExit("server did not start")


def health(addr, n=50):
    for _ in range(n):
        s = socket.create_connection(addr)
        s.sendall(b"GET /_rootward/health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        while s.recv(65536):
            pass
        s.close()


def flood(addr, head, conns=30, size=MB15):
    """`conns` connections each sending `head` and a `size`-byte body."""
    results = []
    chunk = b"x" * 65536

    def one():
        sent, status = 0, None
        try:
            s = socket.create_connection(addr)
            s.settimeout(120)
            s.sendall(head)
            while sent < size:
                n = s.send(chunk[: min(len(chunk), size - sent)])
                sent += n
        except OSError:
            pass
        try:
            data = s.recv(4096)
            status = data.split(b" ")[1].decode() if data else "closed"
        except (OSError, IndexError):
            status = "reset"
        try:
            s.close()
        except OSError:
            pass
        results.append((sent, status))

    threads = [threading.Thread(target=one) for _ in range(conns)]
    for t in threads:
        t.start()
    return threads, results


def measure_flood(pid, addr, label, head):
    before = rss_mb(pid)
    threads, results = flood(addr, head)
    peak = before
    while any(t.is_alive() for t in threads):
        peak = max(peak, rss_mb(pid))
        time.sleep(0.02)
    time.sleep(3)
    after = rss_mb(pid)
    # mimalloc gives freed memory back to the system on its next calls, not
    # on a timer: measure again after a little ordinary traffic.
    health(addr, 50)
    settled = rss_mb(pid)
    sent = sum(r[0] for r in results) / (1024 * 1024)
    statuses = {}
    for _, st in results:
        statuses[st] = statuses.get(st, 0) + 1
    print(f"  {label}:")
    print(f"    RSS before {before:.1f} MB, peak during {peak:.1f} MB, 3 s after {after:.1f} MB, "
          f"after 50 more requests {settled:.1f} MB")
    print(f"    client bytes sent {sent:.0f} MB of {30 * 15} MB; answers {statuses}")


def slow_heads(addr, n, timeout_s):
    closed_after = []

    def one():
        s = socket.create_connection(addr)
        s.settimeout(1.0)
        start = time.monotonic()
        head = b"GET /_rootward/health HTTP/1.1\r\nhost: x\r\nx-slow: " + b"a" * 100
        for b in head:
            try:
                s.send(bytes([b]))
                if s.recv(1) == b"":
                    break
            except socket.timeout:
                continue
            except OSError:
                break
        closed_after.append(time.monotonic() - start)
        s.close()

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    closed_after.sort()
    print(f"  {n} connections sending one header byte per second (header-read timeout {timeout_s} s):")
    print(f"    closed after min {closed_after[0]:.1f} s, median {closed_after[n // 2]:.1f} s, max {closed_after[-1]:.1f} s")


def idle_cap(addr, n, cap):
    socks = []
    for _ in range(n):
        s = socket.create_connection(addr)
        socks.append(s)
    time.sleep(1.0)
    closed = 0
    for s in socks:
        s.setblocking(False)
        try:
            if s.recv(1) == b"":
                closed += 1
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
    print(f"  {n} idle connections, cap {cap}: {closed} closed within 1 s, {n - closed} held (until the header-read timeout)")
    for s in socks:
        s.close()


def wait(p, limit=30.0):
    """Waits for the server to exit; kills it after `limit` seconds."""
    try:
        p.wait(timeout=limit)
        return ""
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        return f" (still running after {limit:.0f} s: killed)"


def shutdown(binary, extra):
    data = tempfile.mkdtemp()
    p, addr = start(binary, os.path.join(data, "d"), extra)
    s = socket.create_connection(addr)
    s.sendall(b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\n")
    time.sleep(0.2)
    t0 = time.monotonic()
    p.send_signal(signal.SIGTERM)
    note1 = wait(p)
    first = time.monotonic() - t0
    p, addr = start(binary, os.path.join(data, "d"), extra)
    s2 = socket.create_connection(addr)
    s2.sendall(b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\n")
    time.sleep(0.2)
    t0 = time.monotonic()
    p.send_signal(signal.SIGTERM)
    time.sleep(0.2)
    p.send_signal(signal.SIGINT)
    note2 = wait(p)
    second = time.monotonic() - t0
    s.close()
    s2.close()
    return first, note1, second, note2


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/rootward")
    args = ap.parse_args()
    binary = args.bin
    if not os.path.exists(binary):
        raise SystemExit(f"{binary} not found (cargo build --release --locked -p rootward --bin rootward)")
    data = tempfile.mkdtemp()
    p, addr = start(binary, os.path.join(data, "d"))
    time.sleep(0.5)
    print(f"rootward serve ({binary}), default limits")
    print(f"  idle baseline: RSS {rss_mb(p.pid):.1f} MB")
    health(addr)
    print(f"  after 50 health checks: RSS {rss_mb(p.pid):.1f} MB")
    host = f"{addr[0]}:{addr[1]}".encode()
    unsigned = (b"POST / HTTP/1.1\r\nhost: " + host + b"\r\ncontent-type: application/x-www-form-urlencoded\r\n"
                b"content-length: " + str(MB15).encode() + b"\r\n\r\n")
    measure_flood(p.pid, addr, "30 x 15 MB bodies, no Authorization header (the issue's attack)", unsigned)
    day = time.strftime("%Y%m%d", time.gmtime())
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    keyed = (b"PUT /bucket/key HTTP/1.1\r\nhost: " + host + b"\r\nx-amz-content-sha256: UNSIGNED-PAYLOAD\r\n"
             b"x-amz-date: " + stamp.encode() + b"\r\n"
             b"authorization: AWS4-HMAC-SHA256 Credential=" + KEY.encode() + b"/" + day.encode()
             + b"/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=" + b"0" * 64
             + b"\r\ncontent-length: " + str(MB15).encode() + b"\r\n\r\n")
    measure_flood(p.pid, addr, "30 x 15 MB bodies, a real access key and a wrong signature (read under the 48 MiB budget)", keyed)
    slow_heads(addr, 50, 10)
    idle_cap(addr, 3000, 1024)
    print(f"  end of run: RSS {rss_mb(p.pid):.1f} MB")
    p.send_signal(signal.SIGTERM)
    wait(p)
    first, note1, second, note2 = shutdown(binary, [])
    print(f"  SIGTERM with a half-sent request (shutdown grace 5 s): exited after {first:.2f} s{note1}")
    print(f"  SIGTERM then SIGINT 0.2 s later: exited {second:.2f} s after the first signal{note2}")


if __name__ == "__main__":
    sys.exit(main())
