"""Several app servers on one database, writes from the command line beside
a running server, and copying a deployment (migrate-data)."""
import os
import re
import subprocess
import time

import harness
from harness import check, eq, postgresql_only

NEW = {
    "code": "MULTI-001", "name": "多服务器测试项目", "investor": "上海多节点科技有限公司",
    "investor_province": "上海", "investor_city": "上海市", "region": "樊城区",
    "amount_yi": "3.2", "signed_on": "2023-05-10", "chain": "新能源汽车",
}


def headline(s):
    r = s.get("/api/reports/headline?year=2023&as_of=2023-12-31")
    eq(r.status, 200, f"headline: {r!r}")
    return r.json()


def region_row(h, name):
    return next(x for x in h["by_region"] if x["region"] == name)


def eventually(fn, what, timeout=5.0):
    """Until fn() is true, within the timeout (what a server does on its
    own: notice a lost connection, listen again)."""
    end = time.monotonic() + timeout
    while not fn():
        if time.monotonic() > end:
            raise harness.Failure(f"{what}: not within {timeout:g} s")
        time.sleep(0.005)


def always(fn, what, times=8):
    """fn() is true on every try (requests spread over the server's threads)."""
    for i in range(times):
        check(fn(), f"{what} (try {i + 1})")


CSV_HEADER = "项目编号,项目名称,投资方,投资方省份,投资方城市,落地县市区,产业链,合同投资额(亿元),签约日期"


def import_one(ctx, code):
    """A project written by the command line, not by any server."""
    p = ctx.path(f"{code}.csv")
    with open(p, "w", encoding="utf-8") as f:
        f.write(CSV_HEADER + "\n" + f"{code},命令行导入项目,上海命令行科技有限公司,上海,上海市,樊城区,新能源汽车,2.5,2023-06-01\n")
    ctx.run("import", p, check_rc=0)


def listed(s, code):
    page = s.get("/api/projects?region=樊城区&year=2023&sort=updated_at&order=desc&limit=5")
    eq(page.status, 200, f"list: {page!r}")
    return code in [p["code"] for p in page.json()["items"]]


def test_two_servers_behave_as_one(ctx):
    ctx.demo()
    a, b = ctx.serve(), ctx.serve()
    # Warm b's caches first: what it answers next must not be stale.
    before = headline(b)
    eq(before["out_of_province_100m"]["count"], 1499, "demo count")
    eq(b.get("/api/projects/MULTI-001").status, 404, "not there yet")
    page = b.get("/api/projects?region=樊城区&year=2023&sort=updated_at&order=desc&limit=5")
    eq(page.status, 200, "list")
    r = a.request("POST", "/api/projects", NEW)
    eq(r.status, 201, f"create through a: {r!r}")
    after = headline(b)
    eq(after["out_of_province_100m"]["count"], 1500, "b counts a's write at once")
    eq(region_row(after, "樊城区")["count"], region_row(before, "樊城区")["count"] + 1, "by region")
    got = b.get("/api/projects/MULTI-001")
    eq(got.status, 200, "b reads a's project")
    eq(got.json()["amount_yi"], "3.2", "amount")
    page2 = b.get("/api/projects?region=樊城区&year=2023&sort=updated_at&order=desc&limit=5")
    check("MULTI-001" in [p["code"] for p in page2.json()["items"]], "b's cached list page is fresh")
    # And the other way round: a write through b, read through a.
    r = b.request("PATCH", "/api/projects/MULTI-001", {"amount_yi": "0.5"})
    eq(r.status, 200, f"update through b: {r!r}")
    always(lambda: headline(a)["out_of_province_100m"]["count"] == 1499, "a sees b's update at once")
    eq(a.get("/api/projects/MULTI-001").json()["version"], 2, "version")
    # A server sees its own write at once, whichever of its threads asks.
    r = a.request("PATCH", "/api/projects/MULTI-001", {"amount_yi": "4"})
    eq(r.status, 200, f"update through a: {r!r}")
    always(lambda: headline(a)["out_of_province_100m"]["count"] == 1500, "a counts its own write at once")


def test_sessions_end_on_every_server(ctx):
    ctx.init()
    a, b = ctx.serve(), ctx.serve()
    ua = a.client("multi_user", role="bureau")
    # The same browser session on both servers, read (and kept) by each.
    ub = harness.Client(b.port)
    ub.cookies, ub.csrf = dict(ua.cookies), ua.csrf
    always(lambda: ua.get("/api/session").status == 200, "signed in on a")
    always(lambda: ub.get("/api/session").status == 200, "signed in on b")
    # Logging out through a ends the session on a at once, on b too.
    eq(ua.request("DELETE", "/api/session").status, 200, "logout")
    again = harness.Client(a.port)
    again.cookies = dict(ub.cookies)
    always(lambda: again.get("/api/session").status == 401, "a refuses the ended session at once")
    always(lambda: ub.get("/api/session").status == 401, "b refuses the ended session at once")
    # A user disabled from the command line loses the sessions it has.
    u2 = b.client("multi_user2", role="bureau")
    always(lambda: u2.get("/api/projects?limit=1").status == 200, "u2 signed in on b")
    ctx.run("user", "disable", "multi_user2", check_rc=0)
    always(lambda: u2.get("/api/projects?limit=1").status == 401, "b refuses the disabled user at once")
    # A new role given from the command line ends the sessions too.
    u3 = a.client("multi_user3", role="bureau")
    always(lambda: u3.get("/api/projects?limit=1").status == 200, "u3 signed in on a")
    ctx.run("user", "grant", "multi_user3", "--role", "leader", check_rc=0)
    always(lambda: u3.get("/api/projects?limit=1").status == 401, "a refuses the regranted user at once")


def test_command_line_writes_reach_a_running_server(ctx):
    ctx.demo()
    s = ctx.serve()
    always(lambda: not listed(s, "CLI-001"), "not there yet (and the page is cached)")
    import_one(ctx, "CLI-001")
    always(lambda: listed(s, "CLI-001"), "the server lists the imported project at once")


@postgresql_only
def test_writes_are_announced(ctx):
    """What a server listens for: every raise of either version, by any
    process, is announced with its value when its transaction commits."""
    ctx.demo()
    ctx.user("announced", "bureau")
    listener = subprocess.Popen(
        ["psql", "-X", "-d", ctx.db, "-c", "LISTEN zhaoshang_version", "-c", "SELECT pg_sleep(4)",
         "-c", "SELECT 1"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        eventually(lambda: ctx.sql("SELECT count(*) FROM pg_stat_activity"
                                   " WHERE query = 'SELECT pg_sleep(4)'")[0][0] == 1,
                   "psql listens")
        import_one(ctx, "CLI-004")
        data = int(ctx.sql("SELECT value FROM meta WHERE key = 'data_version'")[0][0])
        ctx.run("user", "disable", "announced", check_rc=0)
        session = int(ctx.sql("SELECT value FROM meta WHERE key = 'session_version'")[0][0])
        out, _ = listener.communicate(timeout=30)
    finally:
        if listener.poll() is None:
            listener.kill()
            listener.wait()
    heard = re.findall(r'notification "zhaoshang_version" with payload "(\w+) (\d+)"', out)
    check(("data_version", str(data)) in heard, f"the import's data version {data}: {out}")
    check(("session_version", str(session)) in heard, f"the user change's session version {session}: {out}")


def watchers(ctx):
    """The servers listening on the test's database, as a writer counts them
    (each announces the versions it knows in its connection's name)."""
    return ctx.sql("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'zhaoshang-watch %'"
                   " AND datname = current_database()")[0][0]


@postgresql_only
def test_listening_connection_lost_and_back(ctx):
    ctx.demo()
    s = ctx.serve()
    eventually(lambda: watchers(ctx) == 1, "the server listens")
    always(lambda: not listed(s, "CLI-002"), "not there yet")
    ctx.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE application_name LIKE 'zhaoshang-watch%' AND datname = current_database()")
    # Meanwhile, a write the server can only learn of from the database.
    import_one(ctx, "CLI-002")
    eventually(lambda: listed(s, "CLI-002"), "the server lists it without its notification")
    eventually(lambda: watchers(ctx) == 1, "the server listens again")
    import_one(ctx, "CLI-003")
    always(lambda: listed(s, "CLI-003"), "and answers the next write at once")


def check_same(ctx, src, dst):
    for args in (("report", "headline", "--year", "2023", "--as-of", "2023-12-31", "--json"),
                 ("warnings", "--all", "--json", "--as-of", "2024-03-01"),
                 ("report", "breakdown", "--by", "month", "--year", "2023", "--json"),
                 ("export", "--format", "csv")):
        x = ctx.run(*args, db=src, check_rc=0).out
        y = ctx.run(*args, db=dst, check_rc=0).out
        check(len(x) > 100, f"{args}: output")
        check(x == y, f"{args}: differs between source and copy")


def migrate_and_check(ctx, src, dst):
    r = ctx.run("migrate-data", "--from", src, "--to", dst, check_rc=0)
    check("核对一致" in r.out, f"verified: {r!r}")
    check("projects" in r.out and "1913 行" in r.out, f"rows reported: {r.out}")
    check_same(ctx, src, dst)
    # The copy takes new projects (ids continue after the copied ones).
    s = ctx.serve(db=dst)
    eq(s.request("POST", "/api/projects", NEW).status, 201, "create on the copy")
    eq(headline(s)["out_of_province_100m"]["count"], 1500, "the copy counts it")
    # A second copy into a database that has data is refused, changing nothing.
    r = ctx.run("migrate-data", "--from", src, "--to", dst)
    eq(r.rc, 1, f"non-empty target: {r!r}")
    eq(len(r.err.strip().splitlines()), 1, "one error line")
    check("不是空库" in r.err, r.err)
    eq(ctx.sql("SELECT count(*) FROM projects", db=dst), [(1914,)], "target unchanged")


def test_migrate_data_copies_and_verifies(ctx):
    ctx.demo()
    migrate_and_check(ctx, ctx.db, ctx.new_db("copy"))


@harness.postgresql_only
def test_migrate_data_from_sqlite_to_postgresql(ctx):
    src = ctx.path("source.db")
    ctx.run("init", db=src, check_rc=0)
    ctx.run("demo", db=src, check_rc=0)
    r = ctx.run("migrate-data", "--from", "sqlite:" + src, "--to", ctx.db, check_rc=0)
    check("sqlite → postgresql" in r.out, r.out)
    check_same(ctx, "sqlite:" + src, ctx.db)


def test_migrate_data_usage(ctx):
    r = ctx.run("migrate-data", "--from", ctx.db)
    eq(r.rc, 2, f"no --to: {r!r}")
    check("--to" in r.err, r.err)
    r = ctx.run("migrate-data", "--from", ctx.db, "--to", ctx.db)
    eq(r.rc, 2, f"same database: {r!r}")
    # An uninitialised source fails in one line and creates nothing.
    dst = ctx.new_db("target")
    r = ctx.run("migrate-data", "--from", ctx.db, "--to", dst)
    eq(r.rc, 1, f"uninitialised source: {r!r}")
    eq(len(r.err.strip().splitlines()), 1, "one error line")
    if ctx.backend == "sqlite":
        check(not os.path.exists(dst), "no target file made")
