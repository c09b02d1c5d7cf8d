#!/usr/bin/env python3
"""A full disk and a failing device under the server and the CLI, through the
LD_PRELOAD shim tests/reliability/enospc.c: while a switch file exists, writes
to the database's folder (the database and the evidence files) fail with
ENOSPC and fsync with EIO; when the switch file is not empty, only fsync
fails.

1. A healthy disk: projects and an evidence file are acknowledged (201).
2. The disk is full: every write (project, milestone, evidence upload) is
   refused with a 5xx JSON error carrying a code, never a 2xx, while stored
   projects, the list and a report are still read; an `import` beside the
   running server exits 1 with one line on stderr.
3. fsync fails (the data reaches the files but cannot be made durable): every
   write is refused the same way and a refused project cannot be read.
4. Space again: writes succeed without a restart.
5. The server stops on SIGTERM; an `import` on the full disk exits 1 with one
   line on stderr; the server starts again without the shim and takes writes.
6. Replies past 256 KiB, which go on in a temporary file under $TMPDIR
   (the demo's export): when the disk fills in the middle of one, and when
   it is full from the start, the reply comes whole from memory, the same
   bytes as on a healthy disk; no reply file is left open.
7. PRAGMA integrity_check is ok, every acknowledged project is there with its
   audit row and rule dues, every acknowledged evidence row with its file, no
   refused project, import row or evidence file is, and the audit chain
   verifies.

--strict adds: a failed evidence upload leaves no file open in the server; a
refused commit (fsync failed) is answered "commit_uncertain" (SQLite may have
written it to the WAL, and a crash right after would replay it), and the
server killed right after it restarts with the project there or not, never
half; and
on a full disk a session last seen minutes before can still read.

    python3 tests/reliability/faults.py --binary build/zhaoshang [--shim build/tests/enospc.so] [--strict]
"""
import argparse
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile

import client

NOW = "2025-06-30"
LATER = "2025-06-30T00:05:00+08:00"
PASSWORD = "Faults-Test-Passw0rd!"
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 8
ROUNDS = 10  # project writes in each phase
HEADER = "项目编号,项目名称,投资方,投资方省份,落地县市区,合同投资额(亿元),签约日期"


class Server:
    def __init__(self, binary, db, evdir, env, log, threads=2):
        with open(log, "ab") as logf:
            self.proc = subprocess.Popen(
                [binary, "--db", db, "serve", "--listen", "127.0.0.1:0", "--threads", str(threads),
                 "--evidence-dir", evdir, "--remind-interval", "0"],
                stdout=subprocess.PIPE, stderr=logf, env=env, text=True)
        line = self.proc.stdout.readline()
        if "http://127.0.0.1:" not in line:
            self.proc.kill()
            self.proc.wait()
            raise SystemExit(f"server did not start: {line!r}")
        self.port = int(line.split("http://127.0.0.1:")[1].split("/")[0])

    def open_files(self, folder):
        """The server's open files in folder (deleted ones included)."""
        fds, n = f"/proc/{self.proc.pid}/fd", 0
        for fd in os.listdir(fds):
            try:
                n += os.readlink(os.path.join(fds, fd)).startswith(folder + os.sep)
            except OSError:
                pass
        return n

    def stop(self, sig=signal.SIGTERM):
        """Stops the server; the exit status, or None when it had to be killed."""
        self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = None
        self.proc.stdout.close()
        return rc


class Client(client.Client):
    def request(self, method, path, body=None, raw=None):
        """(status, body)"""
        return self.send(method, path, body, raw)[:2]

    def login(self):
        super().login("faults", PASSWORD)


def project(code):
    return {"code": code, "name": "磁盘测试" + code, "investor": "投资方" + code,
            "investor_province": "广东", "region": "襄城区", "amount_yi": "1.5",
            "signed_on": "2025-05-01"}


def error_code(body):
    """The code of a JSON error reply {"error":{"code":...}}, else None."""
    try:
        return json.loads(body)["error"]["code"] or None
    except (ValueError, KeyError, TypeError):
        return None


def run_import(binary, db, tmp, env, prefix):
    """An import of five projects: (exit code, stderr)."""
    path = os.path.join(tmp, prefix + ".csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write(HEADER + "\n" + "".join(f"{prefix}{i:03d},导入测试{i},导入方{i},江苏,樊城区,2,2025-04-01\n"
                                       for i in range(5)))
    r = subprocess.run([binary, "--db", db, "import", path], capture_output=True, text=True, env=env)
    return r.returncode, r.stderr


def large_replies(binary, tmp, env, shim, fault, log, failures):
    """Step 6: the demo's export (470 KB) with $TMPDIR on a disk that fills
    after 300,000 bytes: the first 256 KiB of the first reply reach its file,
    the rest cannot; the second reply's first write fails already."""
    db, spill = os.path.join(tmp, "replies.db"), os.path.join(tmp, "spill")
    os.mkdir(spill)
    for args, stdin in ((["init"], None), (["demo"], None),
                        (["user", "add", "faults", "--role", "bureau", "--password-stdin"], PASSWORD + "\n")):
        subprocess.run([binary, "--db", db, *args], input=stdin and stdin.encode(), check=True,
                       capture_output=True, env=env)
    want = subprocess.run([binary, "--db", db, "export", "--format", "csv"], check=True,
                          capture_output=True, env=env).stdout
    if len(want) <= 300000:
        failures.append(f"replies: the demo's export is {len(want)} bytes, too small for the test")
    renv = dict(env, TMPDIR=spill, LD_PRELOAD=shim, ZS_FAULT_MATCH=spill + os.sep,
                ZS_FAULT_AFTER="300000", ZS_FAULT_SWITCH=os.path.join(tmp, "fault"))
    srv = Server(binary, db, os.path.join(tmp, "evidence-replies"), renv, log)
    try:
        c = Client(srv.port)
        c.login()
        for what in ("a healthy disk", "the disk filling during the reply", "a full disk"):
            fault(None if what == "a healthy disk" else "full")
            status, body = c.request("GET", "/api/export?format=csv")
            if status != 200 or body != want:
                failures.append(f"replies, {what}: the export answered {status}, {len(body)} bytes"
                                f" ({'the same' if body == want else 'not the same'} as the command line's"
                                f" {len(want)})")
        fault(None)
        if srv.open_files(spill):
            failures.append(f"replies: {srv.open_files(spill)} reply files left open")
    finally:
        fault(None)
        srv.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--shim", help="the built shim (default: tests/enospc.so beside the binary)")
    ap.add_argument("--strict", action="store_true",
                    help="also check open files after failed uploads, a crash after a refused commit"
                    " and reads by an idle session on a full disk")
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    shim = os.path.abspath(a.shim or os.path.join(os.path.dirname(binary), "tests", "enospc.so"))
    if not os.path.exists(shim):
        raise SystemExit(f"no shim at {shim} (make builds it)")
    tmp = tempfile.mkdtemp(prefix="zs-faults-")
    dbdir = os.path.join(tmp, "data")
    os.mkdir(dbdir)
    db, evdir = os.path.join(dbdir, "zs.db"), os.path.join(dbdir, "evidence")
    switch, log = os.path.join(tmp, "fault"), os.path.join(tmp, "server.log")
    env = dict(os.environ, ZHAOSHANG_NOW=NOW)
    fenv = dict(env, LD_PRELOAD=shim, ZS_FAULT_SWITCH=switch, ZS_FAULT_MATCH=dbdir + os.sep)
    subprocess.run([binary, "--db", db, "init"], check=True, capture_output=True, env=env)
    subprocess.run([binary, "--db", db, "user", "add", "faults", "--role", "bureau", "--password-stdin"],
                   input=(PASSWORD + "\n").encode(), check=True, capture_output=True, env=env)

    def fault(mode):
        """None: a healthy disk; "full": writes and fsync fail; "fsync": fsync fails."""
        if mode is None:
            if os.path.exists(switch):
                os.unlink(switch)
        else:
            with open(switch, "w") as f:
                f.write("" if mode == "full" else "fsync\n")

    failures = []
    acked, refused, uncertain, ev_acked = [], [], [], []
    replies = set()  # (status, code, message) of the refusals
    imports = []  # (exit code, stderr) of each import on a full disk

    def refusal(what, status, body):
        code = error_code(body)
        if not 500 <= status <= 599 or code is None:
            failures.append(f"{what} answered {status} {body[:200]!r}, not a 5xx JSON error")
        else:
            replies.add((status, code, json.loads(body)["error"].get("message", "")))

    def create(c, code, phase):
        status, body = c.request("POST", "/api/projects", project(code))
        if phase is None:
            if status == 201:
                acked.append(code)
            else:
                failures.append(f"{code} on a healthy disk answered {status} {body[:200]!r}")
        else:
            # A failed COMMIT is answered "commit_uncertain": the client is
            # told the outcome is not known, so either outcome is honest.
            # Every other refusal must stay a refusal.
            (uncertain if error_code(body) == "commit_uncertain" else refused).append(code)
            refusal(f"{phase}: project {code}", status, body)

    def upload(c, name, phase):
        status, body = c.request(
            "POST", f"/api/projects/{acked[0]}/milestones/signed/evidence?kind=other&name={name}", raw=PDF)
        if phase is None:
            if status == 201:
                ev_acked.append(json.loads(body)["id"])
            else:
                failures.append(f"evidence on a healthy disk answered {status} {body[:200]!r}")
        else:
            refusal(f"{phase}: evidence", status, body)

    srv = Server(binary, db, evdir, fenv, log)
    try:
        c = Client(srv.port)
        c.login()
        # 1. A healthy disk.
        for i in range(ROUNDS):
            create(c, f"F-A{i:03d}", None)
        upload(c, "a.pdf", None)

        # 2. The disk is full.
        fault("full")
        for i in range(ROUNDS):
            create(c, f"F-B{i:03d}", "disk full")
            status, body = c.request("GET", f"/api/projects/{acked[i]}")
            if status != 200:
                failures.append(f"disk full: reading {acked[i]} answered {status} {body[:200]!r}")
        status, body = c.request("GET", "/api/projects?limit=100")
        if status != 200:
            failures.append(f"disk full: the list answered {status} {body[:200]!r}")
        elif {p["code"] for p in json.loads(body)["items"]} != set(acked):
            failures.append("disk full: the list differs from the acknowledged projects")
        status, body = c.request("GET", "/api/reports/headline?year=2025")
        if status != 200:
            failures.append(f"disk full: the headline report answered {status} {body[:200]!r}")
        status, body = c.request("PUT", f"/api/projects/{acked[1]}/milestones/registered",
                                 {"date": "2025-06-01"})
        refusal("disk full: milestone", status, body)
        upload(c, "b.pdf", "disk full")
        imports.append(run_import(binary, db, tmp, fenv, "F-I"))

        # 3. fsync fails.
        fault("fsync")
        for i in range(ROUNDS):
            create(c, f"F-D{i:03d}", "fsync failing")
            status, body = c.request("GET", f"/api/projects/F-D{i:03d}")
            if status != 404:
                failures.append(f"fsync failing: the refused F-D{i:03d} is read: {status}")
        status, body = c.request("PUT", f"/api/projects/{acked[2]}/milestones/registered",
                                 {"date": "2025-06-02"})
        refusal("fsync failing: milestone", status, body)
        for i in range(5):
            upload(c, f"d{i}.pdf", "fsync failing")
        if a.strict and srv.open_files(evdir):
            failures.append(f"fsync failing: {srv.open_files(evdir)} evidence files left open in the server"
                            " by refused uploads")
        if a.strict:
            create(c, "F-K000", "fsync failing")
            srv.stop(signal.SIGKILL)
            # The next start is five minutes later: the session, still valid,
            # was last seen more than a minute before. One thread, its
            # database connection opened by another session's request.
            fault(None)
            srv = Server(binary, db, evdir, dict(fenv, ZHAOSHANG_NOW=LATER), log, threads=1)
            c.port = srv.port
            other = Client(srv.port)
            other.login()
            other.request("GET", f"/api/projects/{acked[0]}")
            fault("full")
            status, body = c.request("GET", f"/api/projects/{acked[0]}")
            if status != 200:
                failures.append(f"disk full, a session idle for five minutes: reading {acked[0]} answered"
                                f" {status} {body[:200]!r}")
            fault(None)

        # 4. Space again, without a restart.
        fault(None)
        status, body = c.request("GET", f"/api/projects/{acked[2]}")
        if status != 200 or json.loads(body).get("registered_on", "missing") is not None:
            failures.append(f"a refused milestone is there: {status} {body[:200]!r}")
        for i in range(ROUNDS):
            create(c, f"F-C{i:03d}", None)
        status, body = c.request("PUT", f"/api/projects/{acked[1]}/milestones/registered",
                                 {"date": "2025-06-01"})
        if status != 200:
            failures.append(f"space again: milestone answered {status} {body[:200]!r}")
        upload(c, "c.pdf", None)
    finally:
        fault(None)
        rc = srv.stop()
    if rc not in (0, -signal.SIGTERM):
        failures.append(f"the server's exit on SIGTERM: {rc}")

    # 5. Stopped: the CLI on a full disk, then a clean start without the shim.
    fault("full")
    imports.append(run_import(binary, db, tmp, fenv, "F-J"))
    fault(None)
    srv = Server(binary, db, evdir, env, log)
    try:
        c = Client(srv.port)
        c.login()
        create(c, "F-E000", None)
        status, body = c.request("GET", f"/api/projects/{acked[0]}")
        if status != 200:
            failures.append(f"restart: reading {acked[0]} answered {status} {body[:200]!r}")
    finally:
        srv.stop()

    # 6. Large replies on a disk that fills.
    large_replies(binary, tmp, env, shim, fault, log, failures)

    # 7. The database as the faults left it.
    for rc, err in imports:
        if rc != 1 or len(err.splitlines()) != 1:
            failures.append(f"import on a full disk: exit {rc}, stderr {err!r}")
    conn = sqlite3.connect(db)
    ic = conn.execute("PRAGMA integrity_check").fetchone()[0]
    if ic != "ok":
        failures.append(f"integrity_check: {ic}")
    stored = {row[0] for row in conn.execute("SELECT code FROM projects")}
    lost = set(acked) - stored
    if lost:
        failures.append(f"{len(lost)} acknowledged projects lost, e.g. {sorted(lost)[:5]}")
    ghosts = stored & set(refused)
    if not uncertain and any(st == 500 and code == "storage_error" and "disk I/O" in msg
                             for st, code, msg in replies):
        failures.append("a failed commit was answered as a plain refusal, not commit_uncertain")
    if ghosts:
        failures.append(f"refused projects stored: {sorted(ghosts)[:5]}")
    imported = {s for s in stored if s.startswith(("F-I", "F-J"))}
    if imported:
        failures.append(f"an import on a full disk left {len(imported)} projects")
    audited = {row[0] for row in conn.execute("SELECT entity_key FROM audit_log WHERE action = 'project.create'")}
    if stored != audited:
        failures.append(f"projects without their audit row or the reverse: {sorted(stored ^ audited)[:5]}")
    half = conn.execute("SELECT count(*) FROM projects p WHERE (SELECT count(*) FROM project_rules r"
                        " WHERE r.project_id = p.id) <> 2").fetchone()[0]
    if half:
        failures.append(f"{half} projects without their rule dues")
    rows = {row[0]: row[1] for row in conn.execute("SELECT id, stored_name FROM evidence")}
    conn.close()
    if set(ev_acked) - set(rows):
        failures.append(f"acknowledged evidence lost: {sorted(set(ev_acked) - set(rows))}")
    if set(rows) - set(ev_acked):
        failures.append(f"refused evidence stored: {sorted(set(rows) - set(ev_acked))}")
    on_disk = set(os.listdir(evdir)) if os.path.isdir(evdir) else set()
    if set(rows.values()) - on_disk:
        failures.append(f"evidence rows without their file: {sorted(set(rows.values()) - on_disk)}")
    if on_disk - set(rows.values()):
        failures.append(f"evidence files of refused uploads left: {sorted(on_disk - set(rows.values()))[:5]}")
    err = client.audit_chain_error(binary, db, env, PASSWORD)
    if err:
        failures.append(f"audit chain: {err}")

    for f in failures:
        print("FAIL " + f)
    print(f"faults test: {len(acked)} projects and {len(ev_acked)} evidence files acknowledged,"
          f" {len(refused)} projects refused, {len(uncertain)} answered uncertain; the refusals:")
    for status, code, message in sorted(replies):
        print(f"  {status} {code}: {message}")
    for rc, err in imports:
        print(f"  import: exit {rc}: {err.strip()}")
    print(f"{0 if failures else 1} passed, {1 if failures else 0} failed")
    if failures:
        print(f"kept for a look: {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
