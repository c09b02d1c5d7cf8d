"""Backup and restore drill: an online copy while writes continue, brought
back, checked for integrity and figures."""
import sqlite3
import threading
import time

import harness
from harness import check, eq


@harness.sqlite_only
def test_backup_restore_drill(ctx):
    ctx.demo()
    s = ctx.serve()
    stop = threading.Event()
    made = []

    def writer():
        n = 0
        while not stop.is_set():
            n += 1
            r = s.request("POST", "/api/projects", {
                "code": f"BK-{n:05d}", "name": "备份演练", "investor": f"演练公司{n}", "investor_province": "广东",
                "region": "襄城区", "amount_yi": "2", "signed_on": "2025-06-01"})
            if r.status == 201:
                made.append(n)

    t = threading.Thread(target=writer)
    t.start()
    try:
        while len(made) < 20:
            time.sleep(0.01)
        backup = ctx.path("copy.db")
        ctx.run("backup", "--out", backup, check_rc=0)
        during = len(made)
    finally:
        stop.set()
        t.join()
    check(len(made) > during or len(made) >= 20, "writes went on")
    b = sqlite3.connect(backup)
    eq(b.execute("PRAGMA integrity_check").fetchone()[0], "ok", "the copy is whole")
    bk = b.execute("SELECT count(*) FROM projects WHERE code LIKE 'BK-%'").fetchone()[0]
    audited = b.execute("SELECT count(*) FROM audit_log WHERE entity_key LIKE 'BK-%'").fetchone()[0]
    b.close()
    eq(bk, audited, "a consistent moment: each project with its audit row")
    check(0 < bk <= len(made), f"{bk} of {len(made)}")
    # Restore into a new database and compare the figures with the copy's.
    target = ctx.path("restored.db")
    r = ctx.run("--db", target, "restore", "--from", backup, check_rc=0)
    check(f"{1913 + bk} 个项目" in r.out, r.out)
    args = ("report", "headline", "--year", "2025", "--json")
    eq(ctx.run(*args, db=target, check_rc=0).out, ctx.run(*args, db=backup, check_rc=0).out, "same figures")
    auditor = ctx.user("aud", "auditor", db=target)
    check(auditor, "an auditor")
    eq(ctx.run("--user", "aud", "audit", "verify", db=target).rc, 0, "the audit chain holds")
    # Over a database with data only when told to.
    r = ctx.run("restore", "--from", backup)
    check(r.rc == 1 and "--force" in r.err, r.err)
    eq(ctx.run("restore", "--from", backup, "--force").rc, 0, "with --force")
    eq(ctx.run("restore", "--from", ctx.path("nope.db")).rc, 1, "a missing file")
    with open(ctx.path("broken.db"), "wb") as f:
        f.write(b"SQLite format 3\x00" + b"\x00" * 4000)
    r = ctx.run("--db", ctx.path("x.db"), "restore", "--from", ctx.path("broken.db"))
    eq(r.rc, 1, f"a broken copy is refused: {r!r}")
