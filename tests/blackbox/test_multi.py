"""Several app servers on one database, and copying a deployment (migrate-data)."""
import os

import harness
from harness import check, eq

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
    eq(headline(a)["out_of_province_100m"]["count"], 1499, "a sees b's update at once")
    eq(a.get("/api/projects/MULTI-001").json()["version"], 2, "version")


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
