#!/usr/bin/env python3
"""Soak and hostile clients, on loopback.

soak: SECONDS (120 by default) of mixed reads and writes from 4 clients on the
demo database; no error response, and the server's anonymous memory (RssAnon)
stops growing: over the second half it grows by less than 8 MiB.

hostile: slowloris connections (headers a byte at a time) and a flood of
connections from one address up to the per-address limit, an oversized header
and an oversized body; meanwhile a client from another loopback address is
served promptly, and the limits answer as they should.

    python3 tests/reliability/load.py --binary build/zhaoshang [--seconds N] [--only soak|hostile]
"""
import argparse
import http.client
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

NOW = "2025-06-30"
PASSWORD = "Load-Test-Passw0rd!"


def start(binary, db, *extra):
    env = dict(os.environ, ZHAOSHANG_NOW=NOW)
    p = subprocess.Popen([binary, "--db", db, "serve", "--listen", "127.0.0.1:0", "--remind-interval", "0",
                          *extra], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    line = p.stdout.readline()
    if "http://127.0.0.1:" not in line:
        raise SystemExit(f"server did not start: {line!r}")
    return p, int(line.split("http://127.0.0.1:")[1].split("/")[0])


def rss_anon(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("RssAnon:"):
                return int(line.split()[1])  # kB
    return 0


class Client:
    """One keep-alive connection per client, as a browser holds one: a new
    connection per request would exhaust the loopback's ephemeral ports with
    TIME_WAIT sockets long before the server shows any strain."""

    def __init__(self, port, source="127.0.0.1"):
        self.port, self.source = port, source
        self.cookie = self.csrf = None
        self.conn = None

    def session_copy(self):
        c = Client(self.port, self.source)
        c.cookie, c.csrf = self.cookie, self.csrf
        return c

    def request(self, method, path, body=None):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30,
                                                   source_address=(self.source, 0))
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if self.csrf and method != "GET":
            headers["X-CSRF-Token"] = self.csrf
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        path = urllib.parse.quote(path, safe="/?=&%:,+-_.~")
        try:
            self.conn.request(method, path, body=data, headers=headers)
            r = self.conn.getresponse()
            out = r.status, r.read(), r.getheader("Set-Cookie")
            if r.will_close:
                self.close()
            return out
        except Exception:
            self.close()
            raise

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def login(self):
        status, body, cookie = self.request("POST", "/api/session", {"username": "load", "password": PASSWORD})
        if status != 200:
            raise SystemExit(f"login: {status} {body[:200]!r}")
        self.cookie = cookie.split(";")[0]
        self.csrf = json.loads(body)["csrf_token"]


def prepare(binary, tmp):
    db = os.path.join(tmp, "zs.db")
    env = dict(os.environ, ZHAOSHANG_NOW=NOW)
    for args in (["init"], ["demo"]):
        subprocess.run([binary, "--db", db, *args], check=True, capture_output=True, env=env)
    subprocess.run([binary, "--db", db, "user", "add", "load", "--role", "bureau", "--password-stdin"],
                   input=(PASSWORD + "\n").encode(), check=True, capture_output=True, env=env)
    return db


def soak(binary, tmp, seconds, failures):
    db = prepare(binary, tmp)
    proc, port = start(binary, db, "--threads", "4")
    c = Client(port)
    c.login()
    stop = threading.Event()
    errors, counts = [], [0]
    reads = ["/api/projects?limit=50", "/api/projects?region=襄城区&year=2023&limit=20",
             "/api/projects?sort=amount&order=desc&limit=50", "/api/reports/headline?year=2023",
             "/api/warnings?as_of=2024-06-30", "/api/reports/breakdown?by=chain&year=2023",
             "/api/projects/XY2023-0001", "/api/reports/origins?year=2023", "/api/assessments/2023-06",
             "/api/leads?limit=20", "/api/companies?limit=20"]

    def worker(w):
        rnd = random.Random(w)
        wc = c.session_copy()
        n = 0
        while not stop.is_set():
            n += 1
            try:
                if n % 7 == 0:
                    code = f"S{w}-{n:06d}"
                    st, body, _ = wc.request("POST", "/api/projects", {
                        "code": code, "name": "浸泡测试" + code, "investor": "浸泡投资" + code,
                        "investor_province": "广东", "region": "樊城区", "amount_yi": "2",
                        "signed_on": "2025-06-01"})
                    ok = st == 201
                    if ok and n % 14 == 0:
                        st, body, _ = wc.request("PATCH", f"/api/projects/{code}", {"amount_yi": "3"})
                        ok = st == 200
                else:
                    st, body, _ = wc.request("GET", rnd.choice(reads))
                    ok = st == 200
                if not ok:
                    errors.append((st, body[:200]))
                counts[0] += 1
            except Exception as e:  # noqa: BLE001 - any failure is an error of the run
                errors.append(("exception", repr(e)))

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(4)]
    for t in threads:
        t.start()
    samples = []
    t0 = time.time()
    while time.time() - t0 < seconds:
        time.sleep(2)
        samples.append((time.time() - t0, rss_anon(proc.pid)))
    stop.set()
    for t in threads:
        t.join(timeout=30)
    proc.terminate()
    proc.wait(timeout=30)
    half = [kb for t, kb in samples if t >= seconds / 2]
    growth = (half[-1] - half[0]) if half else 0
    print(f"soak: {counts[0]} requests in {seconds} s, RssAnon {samples[0][1] // 1024}→{samples[-1][1] // 1024} MiB"
          f" (second half +{growth // 1024} MiB), {len(errors)} errors")
    if errors:
        failures.append(f"soak: error responses, e.g. {errors[:3]}")
    if counts[0] < seconds * 20:
        failures.append(f"soak: only {counts[0]} requests in {seconds} s")
    if growth > 8 * 1024:
        failures.append(f"soak: RssAnon still growing over the second half (+{growth} kB)")


def hostile(binary, tmp, failures):
    db = prepare(binary, tmp)
    proc, port = start(binary, db, "--threads", "2", "--per-ip-limit", "40", "--timeout", "5")
    socks = []
    try:
        # Slowloris: 30 connections that send a header byte now and then.
        for _ in range(30):
            s = socket.create_connection(("127.0.0.1", port))
            s.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            socks.append(s)
        # A flood up to and beyond the per-address limit (40 in all).
        refused = 0
        for _ in range(20):
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=2)
                socks.append(s)
            except OSError:
                refused += 1
        time.sleep(0.5)
        # Another address is served at once.
        other = Client(port, source="127.0.0.2")
        t = time.time()
        st, _, _ = other.request("GET", "/api/health")
        took = time.time() - t
        if st != 200 or took > 2:
            failures.append(f"hostile: another client waited {took:.1f} s for {st}")
        # The flooding address is held to its limit: a further request fails.
        blocked = False
        try:
            st, _, _ = Client(port).request("GET", "/api/health")
            blocked = st != 200
        except (OSError, http.client.HTTPException):
            blocked = True
        if not blocked:
            failures.append("hostile: the per-address limit did not hold")
        # Slow connections are dropped after the idle timeout.
        time.sleep(6.5)
        dropped = 0
        for s in socks[:30]:
            try:
                s.settimeout(1)
                dropped += s.recv(1) == b""
            except (OSError, socket.timeout):
                dropped += 0
        if dropped < 25:
            failures.append(f"hostile: only {dropped} of 30 slow connections dropped after the timeout")
        for s in socks:
            s.close()
        socks = []
        time.sleep(0.5)
        # An oversized header and an oversized body.
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        try:
            s.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200000 + b"\r\n\r\n")
        except OSError:
            pass
        try:
            reply = s.recv(200)
        except OSError:
            reply = b""
        s.close()
        if reply and not (b" 431 " in reply[:20] or b" 413 " in reply[:20] or b" 400 " in reply[:20]):
            failures.append(f"hostile: oversized header answered {reply[:40]!r}")
        st, _, _ = Client(port, source="127.0.0.3").request("GET", "/api/health")
        if st != 200:
            failures.append("hostile: not serving after the oversized header")
        print(f"hostile: slow and flooding connections held (refused beyond the limit: {refused}),"
              f" another address served in {took:.2f} s, {dropped} slow connections dropped")
    finally:
        for s in socks:
            s.close()
        proc.terminate()
        proc.wait(timeout=30)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--seconds", type=int, default=120)
    ap.add_argument("--only", choices=["soak", "hostile"])
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    failures = []
    tmp = tempfile.mkdtemp(prefix="zs-load-")
    try:
        for part in ("soak", "hostile"):
            if a.only in (None, part):
                os.mkdir(os.path.join(tmp, part))
        if a.only in (None, "soak"):
            soak(binary, os.path.join(tmp, "soak"), a.seconds, failures)
        if a.only in (None, "hostile"):
            hostile(binary, os.path.join(tmp, "hostile"), failures)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print("FAIL " + f)
    print(f"{0 if failures else 1} passed, {1 if failures else 0} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
