#!/usr/bin/env python3
"""High availability: the server keeps working across a PostgreSQL failover.

    python3 tests/ha/failover.py --binary build/zhaoshang [--keep]

Starts a primary and a synchronous hot standby (tools/pg-cluster) on free
loopback ports in a temporary folder, initialises a database `zs` on the primary
and serves it through a URL naming both servers with
target_session_attrs=read-write. Before the failover a report is read from the
standby (target_session_attrs=read-only) and must equal the primary's. Then
writer threads create projects continuously, each attempt with a code never
used before; codes answered 201 are acknowledged. After a while the primary is
stopped (immediate: a crash) and the standby promoted. The server must take
writes again within RESUME_LIMIT seconds of the stop, and afterwards every
acknowledged project must be there, through the API and in the new primary.

Prints one line per check, a summary, and "N passed, N failed"; exits non-zero
on any failure. Everything it started (servers, clusters, folders) is removed
on exit, failure and SIGTERM included; --keep leaves the folder with the
clusters' logs (the clusters stopped) for a look after a failure.
"""
import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PG_CLUSTER = os.path.join(ROOT, "tools", "pg-cluster")
NOW = "2025-06-30"
WRITE_BEFORE = 2.0  # seconds of writes before the failover
WRITE_AFTER = 2.0  # and after the first write that succeeds again
RESUME_LIMIT = 30.0  # seconds from the stop to the first acknowledged write
WRITERS = 2
SEEDS = 5

BODY = {
    "name": "高可用测试项目", "investor": "深圳高可用测试有限公司",
    "investor_province": "广东", "investor_city": "深圳市", "region": "襄城区",
    "amount_yi": "12.5", "signed_on": "2025-03-01",
}


class Failure(Exception):
    pass


def log(msg):
    print(msg, flush=True)


def free_ports(n):
    """n distinct loopback ports that are free now."""
    socks, ports = [], []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
            ports.append(s.getsockname()[1])
    finally:
        for s in socks:
            s.close()
    return ports


def sh(*cmd, timeout=120):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        raise Failure(f"{' '.join(cmd)}: exit {p.returncode}: {p.stderr.strip()[-2000:]}")
    return p.stdout


def psql(port, query, db="postgres"):
    """Rows of one query on the server at port, as lists of str."""
    out = sh("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-F", "\x1f",
             "-d", f"postgresql://postgres@127.0.0.1:{port}/{db}?connect_timeout=5", "-c", query)
    return [line.split("\x1f") for line in out.splitlines()]


class App:
    """zhaoshang serve on a free port; its stderr goes to a file."""

    def __init__(self, binary, db, errfile):
        self.errfile = errfile
        self.err = open(errfile, "w")
        env = dict(os.environ, ZHAOSHANG_NOW=NOW)
        self.proc = subprocess.Popen([binary, "--db", db, "serve", "--listen", "127.0.0.1:0"],
                                     stdout=subprocess.PIPE, stderr=self.err, env=env, text=True)
        line = self.proc.stdout.readline()
        if "http://127.0.0.1:" not in line:
            self.proc.kill()
            self.proc.wait()
            raise Failure(f"server did not start: {line!r} {self.stderr_tail()}")
        self.port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
        # Keep reading stdout so that the server never blocks on a full pipe.
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()

    def stderr_tail(self):
        try:
            with open(self.errfile, encoding="utf-8", errors="replace") as f:
                return f.read()[-2000:]
        except OSError:
            return ""

    cookie = csrf = None

    def login(self, user, password):
        status, body = self.request("POST", "/api/session", {"username": user, "password": password})
        if status != 200:
            raise Failure(f"login as {user}: HTTP {status} {body[:300]!r}")
        self.csrf = json.loads(body)["csrf_token"]

    def request(self, method, path, body=None, timeout=60):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            data = None
            headers = {}
            if body is not None:
                data = json.dumps(body, ensure_ascii=False).encode("utf-8")
                headers["Content-Type"] = "application/json"
            if self.cookie:
                headers["Cookie"] = self.cookie
            if self.csrf and method != "GET":
                headers["X-CSRF-Token"] = self.csrf
            conn.request(method, path, body=data, headers=headers)
            r = conn.getresponse()
            set_cookie = r.getheader("Set-Cookie")
            if set_cookie and path == "/api/session":
                self.cookie = set_cookie.split(";")[0]
            return r.status, r.read()
        finally:
            conn.close()

    def stop(self):
        """SIGTERM; returns the exit status (None if it had to be killed)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self.err.close()
                return None
        self.err.close()
        return self.proc.returncode


class Writers:
    """Threads creating projects until stopped; every attempt has a new code."""

    def __init__(self, app, n):
        self.app = app
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.acked = []  # (code, time the request was sent, time it was answered)
        self.failed = []  # (code, time sent, time answered, status or error)
        self.threads = [threading.Thread(target=self.loop, args=(i,), daemon=True) for i in range(n)]

    def start(self):
        for t in self.threads:
            t.start()

    def loop(self, i):
        n = 0
        while not self.stop_event.is_set():
            n += 1
            code = f"HA-{i}-{n:06d}"
            sent = time.monotonic()
            try:
                status, body = self.app.request("POST", "/api/projects", dict(BODY, code=code))
                what = status
            except (OSError, http.client.HTTPException) as e:
                status, what = None, f"{type(e).__name__}: {e}"
            done = time.monotonic()
            with self.lock:
                if status == 201:
                    self.acked.append((code, sent, done))
                else:
                    self.failed.append((code, sent, done, what))
            if status != 201:
                time.sleep(0.05)  # no busy loop while the database is away

    def first_ack_sent_after(self, t):
        with self.lock:
            times = [done for (_, sent, done) in self.acked if sent >= t]
        return min(times) if times else None

    def stop(self):
        self.stop_event.set()
        for t in self.threads:
            t.join(timeout=90)
        if any(t.is_alive() for t in self.threads):
            raise Failure("a writer thread did not finish")


class Checks:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, cond, what, detail=""):
        if cond:
            self.passed += 1
            log(f"ok   {what}")
        else:
            self.failed += 1
            log(f"FAIL {what}{': ' + detail if detail else ''}")
        return cond


def wait_replayed(primary, standby, timeout=30):
    """Waits until the standby has replayed everything the primary wrote so far."""
    lsn = psql(primary, "SELECT pg_current_wal_lsn()")[0][0]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if psql(standby, f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn")[0][0] == "t":
            return
        time.sleep(0.05)
    raise Failure(f"the standby did not replay up to {lsn} within {timeout} s")


def run(a, tmp, state, checks):
    binary = os.path.abspath(a.binary)
    p1, p2 = free_ports(2)
    primary, standby = os.path.join(tmp, "primary"), os.path.join(tmp, "standby")
    state["clusters"] = [primary, standby]
    log(f"primary on 127.0.0.1:{p1}, standby on 127.0.0.1:{p2}")
    sh(PG_CLUSTER, "start", primary, str(p1))
    sh(PG_CLUSTER, "standby", standby, str(p1), str(p2))
    psql(p1, "CREATE DATABASE zs")
    env = dict(os.environ, ZHAOSHANG_NOW=NOW)

    def cli(url, *args):
        return subprocess.run([binary, "--db", url, *args], capture_output=True, text=True,
                              env=env, timeout=120)

    r = cli(f"postgresql://postgres@127.0.0.1:{p1}/zs", "init")
    if r.returncode != 0:
        raise Failure(f"init on the primary: exit {r.returncode}: {r.stderr.strip()}")
    # The driver logs in like any user; its session lives in the database
    # and so survives the failover.
    password = "Failover-Driver-2025!"
    r = subprocess.run([binary, "--db", f"postgresql://postgres@127.0.0.1:{p1}/zs", "user", "add",
                        "driver", "--role", "bureau", "--password-stdin"], input=password + "\n",
                       capture_output=True, text=True, env=env, timeout=120)
    if r.returncode != 0:
        raise Failure(f"user add on the primary: exit {r.returncode}: {r.stderr.strip()}")
    url = (f"postgresql://postgres@127.0.0.1:{p1},127.0.0.1:{p2}/zs"
           "?target_session_attrs=read-write&connect_timeout=2")
    state["errfile"] = os.path.join(tmp, "server.err")
    app = App(binary, url, state["errfile"])
    state["app"] = app
    app.login("driver", password)

    # Reads may go to a standby: the same report from both servers.
    seeds = [f"SEED-{i}" for i in range(1, SEEDS + 1)]
    for code in seeds:
        status, body = app.request("POST", "/api/projects", dict(BODY, code=code))
        if status != 201:
            raise Failure(f"create {code}: HTTP {status} {body[:300]!r}")
    wait_replayed(p1, p2)
    report = ("report", "headline", "--year", "2025", "--json")
    on_primary = cli(f"postgresql://postgres@127.0.0.1:{p1}/zs", *report)
    on_standby = cli(f"postgresql://postgres@127.0.0.1:{p2}/zs?target_session_attrs=read-only", *report)
    checks.check(on_primary.returncode == 0, "a report reads from the primary",
                 f"exit {on_primary.returncode}: {on_primary.stderr.strip()}")
    if checks.check(on_standby.returncode == 0, "a report reads from the standby",
                    f"exit {on_standby.returncode}: {on_standby.stderr.strip()}"):
        j = json.loads(on_standby.stdout)
        checks.check(j["out_of_province_100m"]["count"] == SEEDS,
                     f"the standby's report counts the {SEEDS} projects",
                     json.dumps(j["out_of_province_100m"], ensure_ascii=False))
        if on_primary.returncode == 0:
            checks.check(j == json.loads(on_primary.stdout), "the standby's report equals the primary's")

    # Writes across the failover.
    w = Writers(app, WRITERS)
    state["writers"] = w
    w.start()
    time.sleep(WRITE_BEFORE)
    with w.lock:
        before = len(w.acked)
    t_stop = time.monotonic()
    sh(PG_CLUSTER, "stop", primary, "immediate")
    t_stopped = time.monotonic()
    sh(PG_CLUSTER, "promote", standby)
    t_promoted = time.monotonic()
    log(f"primary stopped in {t_stopped - t_stop:.2f} s, standby promoted in {t_promoted - t_stopped:.2f} s")
    resumed = None
    while time.monotonic() - t_stop < RESUME_LIMIT + 5:
        resumed = w.first_ack_sent_after(t_stopped)
        if resumed is not None:
            break
        time.sleep(0.05)
    if resumed is not None:
        time.sleep(WRITE_AFTER)
    w.stop()
    state["writers"] = None
    resume = None if resumed is None else resumed - t_stop
    with w.lock:
        acked = [c for (c, _, _) in w.acked]
        after = len([1 for (_, sent, _) in w.acked if sent >= t_stopped])
        failed = list(w.failed)
    checks.check(before > 0, f"writes acknowledged before the failover: {before}")
    checks.check(resume is not None and resume < RESUME_LIMIT,
                 f"writes resume within {RESUME_LIMIT:.0f} s of the stop"
                 + ("" if resume is None else f" ({resume:.2f} s)"),
                 "never" if resume is None else f"{resume:.2f} s")
    checks.check(after > 0, f"writes acknowledged after the failover: {after}")

    # Nothing acknowledged is lost: through the API and in the new primary.
    codes = seeds + acked
    missing_api = []
    for code in codes:
        status, _ = app.request("GET", "/api/projects/" + code)
        if status != 200:
            missing_api.append((code, status))
    checks.check(not missing_api, f"all {len(codes)} acknowledged projects answer 200 through the API",
                 f"{len(missing_api)} do not, e.g. {missing_api[:5]}")
    stored = {r[0] for r in psql(p2, "SELECT code FROM projects", db="zs")}
    lost = [c for c in codes if c not in stored]
    checks.check(not lost, f"all {len(codes)} acknowledged projects are in the new primary",
                 f"{len(lost)} lost, e.g. {lost[:5]}")
    in_doubt = [c for (c, *_rest) in failed if c in stored]
    status, _ = app.request("GET", "/api/health")
    checks.check(status == 200, "the server is healthy after the failover", f"HTTP {status}")
    rc = app.stop()
    state["app"] = None
    checks.check(rc == 0, "the server stops cleanly", f"exit {rc}: {app.stderr_tail()}")

    log(f"acknowledged writes: {len(acked)} ({before} before the stop, {after} sent after it)")
    log(f"failed attempts: {len(failed)} ({len(in_doubt)} of them stored nonetheless)")
    kinds = {}
    for (_, _, _, what) in failed:
        k = str(what)[:80]
        kinds[k] = kinds.get(k, 0) + 1
    for k, n in sorted(kinds.items(), key=lambda x: -x[1])[:5]:
        log(f"  {n} x {k}")
    log("resume time: " + ("never" if resume is None else f"{resume:.2f} s after the stop"))


def show_logs(state):
    """The end of the server's stderr and of the clusters' logs, after a failure."""
    for name, path in [("server stderr", state["errfile"])] + [
            (os.path.basename(d) + " log", os.path.join(d, "log")) for d in state["clusters"]]:
        if not path:
            continue
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                tail = f.read()[-1500:]
        except OSError:
            continue
        log(f"{name} (end):\n{tail}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--keep", action="store_true", help="keep the folder (logs) after a failure")
    a = ap.parse_args()
    if shutil.which("psql") is None:
        ap.error("needs psql (postgresql-client)")

    def on_signal(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    tmp = tempfile.mkdtemp(prefix="zs-ha-")
    os.chmod(tmp, 0o755)  # the PostgreSQL user must reach the clusters' folders
    state = {"clusters": [], "app": None, "writers": None, "errfile": None}
    interrupted = False
    checks = Checks()
    start = time.monotonic()
    try:
        run(a, tmp, state, checks)
    except (Failure, subprocess.TimeoutExpired, OSError, KeyboardInterrupt) as e:
        checks.check(False, "the failover test ran to its end", str(e))
        interrupted = isinstance(e, KeyboardInterrupt)
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if checks.failed and not interrupted:
            show_logs(state)
        if state["writers"] is not None:
            state["writers"].stop_event.set()
        if state["app"] is not None:
            state["app"].stop()
        keep = a.keep and checks.failed
        for d in state["clusters"]:
            cmd = [PG_CLUSTER, "stop", d, "immediate"] if keep else [PG_CLUSTER, "remove", d]
            subprocess.run(cmd, capture_output=True)
        if keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    log(f"failover test ({time.monotonic() - start:.0f}s):")
    log(f"{checks.passed} passed, {checks.failed} failed")
    sys.exit(1 if checks.failed or checks.passed == 0 else 0)


if __name__ == "__main__":
    main()
