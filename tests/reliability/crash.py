#!/usr/bin/env python3
"""Crash consistency: concurrent writers against the server, which is killed
with SIGKILL at random moments and restarted, CYCLES times (50 by default,
--cycles N for more). Afterwards: PRAGMA integrity_check is ok; every write the
server acknowledged is there with its audit row; no half-applied change (each
project has its audit row and its rule dues, each evidence row its file); the
audit chain verifies; files left by uploads that never committed are
collected at the next start.

    python3 tests/reliability/crash.py --binary build/zhaoshang [--cycles N] [--seed S]
"""
import argparse
import http.client
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

import client
from client import audit_chain_error

NOW = "2025-06-30"
PASSWORD = "Crash-Test-Passw0rd!"
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 8


class App:
    def __init__(self, binary, db, evdir):
        env = dict(os.environ, ZHAOSHANG_NOW=NOW)
        self.proc = subprocess.Popen(
            [binary, "--db", db, "serve", "--listen", "127.0.0.1:0", "--threads", "4",
             "--evidence-dir", evdir, "--orphan-age", "0", "--remind-interval", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
        line = self.proc.stdout.readline()
        if "http://127.0.0.1:" not in line:
            raise SystemExit(f"server did not start: {line!r}")
        self.port = int(line.split("http://127.0.0.1:")[1].split("/")[0])

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.proc.stdout.close()


class Client(client.Client):
    def __init__(self):
        super().__init__(timeout=10)

    def request(self, method, path, body=None, raw=None):
        return self.send(method, path, body, raw)

    def login(self):
        super().login("crash", PASSWORD)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--cycles", type=int, default=50)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    binary = os.path.abspath(a.binary)
    tmp = tempfile.mkdtemp(prefix="zs-crash-")
    db, evdir = os.path.join(tmp, "zs.db"), os.path.join(tmp, "evidence")
    env = dict(os.environ, ZHAOSHANG_NOW=NOW)
    subprocess.run([binary, "--db", db, "init"], check=True, capture_output=True, env=env)
    subprocess.run([binary, "--db", db, "user", "add", "crash", "--role", "bureau", "--password-stdin"],
                   input=(PASSWORD + "\n").encode(), check=True, capture_output=True, env=env)
    acked, acked_evidence = set(), set()
    lock = threading.Lock()
    counter = iter(range(10 ** 9))
    client = Client()
    app = App(binary, db, evdir)
    client.port = app.port
    client.login()
    running = threading.Event()
    running.set()
    stop = threading.Event()

    def writer(wid):
        while not stop.is_set():
            running.wait()
            n = next(counter)
            code = f"C{wid}-{n:06d}"
            try:
                if n % 5 == 4 and acked:
                    with lock:
                        target = rnd.choice(sorted(acked))
                    status, body, _ = client.request(
                        "POST", f"/api/projects/{target}/milestones/signed/evidence?kind=other&name=e{n}.pdf",
                        raw=PDF)
                    if status == 201:
                        with lock:
                            acked_evidence.add(json.loads(body)["id"])
                    continue
                status, _, _ = client.request("POST", "/api/projects", {
                    "code": code, "name": "崩溃测试" + code, "investor": "投资方" + code,
                    "investor_province": "广东", "region": "襄城区", "amount_yi": "1.5",
                    "signed_on": "2025-05-01"})
                if status == 201:
                    with lock:
                        acked.add(code)
            except (OSError, http.client.HTTPException):
                time.sleep(0.01)

    threads = [threading.Thread(target=writer, args=(i,), daemon=True) for i in range(3)]
    for t in threads:
        t.start()
    failures = []
    for cycle in range(a.cycles):
        time.sleep(rnd.uniform(0.05, 0.4))
        running.clear()
        app.kill()
        app = App(binary, db, evdir)
        client.port = app.port
        running.set()
    stop.set()
    for t in threads:
        t.join(timeout=15)
    app.kill()

    # The checks, on the database as the last crash left it.
    c = sqlite3.connect(db)
    ic = c.execute("PRAGMA integrity_check").fetchone()[0]
    if ic != "ok":
        failures.append(f"integrity_check: {ic}")
    codes = {r[0] for r in c.execute("SELECT code FROM projects")}
    lost = acked - codes
    if lost:
        failures.append(f"{len(lost)} acknowledged projects lost, e.g. {sorted(lost)[:5]}")
    audited = {r[0] for r in c.execute("SELECT entity_key FROM audit_log WHERE action = 'project.create'")}
    if codes != audited:
        failures.append(f"projects without their audit row or the reverse: {sorted(codes ^ audited)[:5]}")
    half = c.execute("SELECT count(*) FROM projects p WHERE (SELECT count(*) FROM project_rules r"
                     " WHERE r.project_id = p.id) <> 2").fetchone()[0]
    if half:
        failures.append(f"{half} projects without their rule dues")
    rows = {r[0]: r[1] for r in c.execute("SELECT id, stored_name FROM evidence")}
    missing = [i for i, n in rows.items() if not os.path.exists(os.path.join(evdir, n))]
    if missing:
        failures.append(f"evidence rows without their file: {missing[:5]}")
    if acked_evidence - set(rows):
        failures.append(f"acknowledged evidence lost: {sorted(acked_evidence - set(rows))[:5]}")
    c.close()
    # A start collects the files of uploads that never committed.
    app = App(binary, db, evdir)
    app.kill()
    files = set(os.listdir(evdir)) if os.path.isdir(evdir) else set()
    orphans = files - set(rows.values())
    if orphans:
        failures.append(f"orphan files not collected: {sorted(orphans)[:5]}")
    err = audit_chain_error(binary, db, env, PASSWORD)
    if err:
        failures.append(f"audit chain: {err}")
    for f in failures:
        print("FAIL " + f)
    print(f"crash test (seed {a.seed}): {a.cycles} kills, {len(acked)} acknowledged projects,"
          f" {len(acked_evidence)} evidence files, {len(codes)} projects stored")
    print(f"{0 if failures else 1} passed, {1 if failures else 0} failed")
    shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
