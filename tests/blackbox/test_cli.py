"""The command line: subcommands, help, exit codes, init, backup."""
import os
import sqlite3

from harness import check, eq, pg_url, postgresql_only, sqlite_only

COMMANDS = ["init", "demo", "serve", "import", "export", "warnings", "report", "backup"]


def test_help_on_every_subcommand(ctx):
    r = ctx.run("--help", check_rc=0)
    for c in COMMANDS:
        check(c in r.out, f"--help lists {c}")
        h = ctx.run(c, "--help", check_rc=0)
        check("用法" in h.out, f"{c} --help prints usage: {h!r}")


def test_usage_errors_exit_2(ctx):
    r = ctx.run("frobnicate")
    eq(r.rc, 2, "unknown command")
    eq(len(r.err.strip().splitlines()), 1, "one error line")
    eq(ctx.run().rc, 2, "no command")
    ctx.init()
    eq(ctx.run("warnings", "--as-of", "2023-02-30").rc, 2, "malformed date")
    eq(ctx.run("warnings", "--bogus").rc, 2, "unknown option")
    eq(ctx.run("report", "headline", "--year", "2023", "--as-of", "2022-12-31").rc, 2,
       "as-of before the period")
    eq(ctx.run("report", "headline", "--year", "abc").rc, 2, "bad year")
    eq(ctx.run("report", "nosuch").rc, 2, "unknown report")
    eq(ctx.run("export", "--format", "pdf").rc, 2, "bad export format")
    eq(ctx.run("export", "--format", "xlsx").rc, 2, "xlsx without --out")
    eq(ctx.run("import").rc, 2, "import without a file")
    eq(ctx.run("serve", "--listen", "nonsense").rc, 2, "bad listen address")
    r = ctx.run("warnings", now="2023-13-45")
    eq(r.rc, 2, "malformed ZHAOSHANG_NOW")
    check("ZHAOSHANG_NOW" in r.err, r.err)


def test_init_creates_reference_data_once(ctx):
    r = ctx.run("report", "headline", "--year", "2023", "--json")
    eq(r.rc, 1, "no database yet")
    eq(len(r.err.strip().splitlines()), 1, "one error line")
    check(ctx.db in r.err, f"error names the database: {r.err!r}")
    ctx.init()
    eq(ctx.run("init").rc, 1, "second init refuses")
    names = [n for (n,) in ctx.sql(
        "SELECT name FROM regions WHERE level='county' ORDER BY sort_order")]
    eq(names, ["襄城区", "樊城区", "襄州区", "老河口市", "枣阳市", "宜城市", "南漳县", "谷城县",
               "保康县", "襄阳高新区", "襄阳经开区", "东津新区", "鱼梁洲经济开发区"], "regions")
    eq(ctx.sql("SELECT assessed FROM regions WHERE name='鱼梁洲经济开发区'"), [(0,)],
       "鱼梁洲 not assessed")
    eq(ctx.sql("SELECT count(*) FROM chains"), [(23,)], "23 chains")
    eq(ctx.sql("SELECT count(*) FROM channels"), [(10,)], "10 channels")
    rules = ctx.sql("SELECT key, from_milestone, to_milestone, months FROM rules ORDER BY sort_order")
    eq(rules, [("register", "signed", "registered", 2), ("start", "signed", "started", 6),
               ("include", "started", "included", 2)], "26211 rules")
    eq(ctx.sql("SELECT count(*) FROM projects"), [(0,)], "no projects")
    r = ctx.run("warnings", "--json", check_rc=0)
    eq(r.json(), [], "no warnings on an empty database")


@sqlite_only
def test_sqlite_file_wal_and_prefix(ctx):
    eq(ctx.run("warnings", "--json").rc, 1, "no database file yet")
    check(not os.path.exists(ctx.db), "a failing command creates no database")
    ctx.init()
    db = sqlite3.connect(ctx.db)
    eq(db.execute("PRAGMA journal_mode").fetchone()[0], "wal", "WAL mode")
    db.close()
    # sqlite: prefix works too
    r = ctx.run("warnings", "--json", db="sqlite:" + ctx.db, check_rc=0)
    eq(r.json(), [], "no warnings on an empty database")
    r = ctx.run("warnings", "--json", db="sqlite:" + ctx.path("nosuch.db"))
    eq(r.rc, 1, "a missing file through the prefix")
    check(not os.path.exists(ctx.path("nosuch.db")), "is not created either")


@postgresql_only
def test_unreachable_postgresql_fails_in_one_line(ctx):
    for url, what in [("postgresql://postgres@127.0.0.1:1/zs?connect_timeout=5", "no server"),
                      (pg_url("zs_no_such_database"), "no such database")]:
        for args in [("init",), ("warnings", "--json"), ("report", "headline", "--year", "2023")]:
            r = ctx.run(*args, db=url)
            eq(r.rc, 1, f"{what}: {args} fails: {r!r}")
            eq(len(r.err.strip().splitlines()), 1, f"{what}: {args}: one error line: {r.err!r}")
            eq(r.out, "", f"{what}: {args}: nothing on stdout")


def test_demo_refuses_twice_and_early_clock(ctx):
    ctx.init()
    r = ctx.run("demo", now="2024-06-01")
    eq(r.rc, 1, "demo before its last date")
    ctx.run("demo", check_rc=0)
    eq(ctx.run("demo").rc, 1, "demo into a database with projects")


@sqlite_only
def test_backup_copies_a_consistent_database(ctx):
    ctx.demo()
    out = ctx.path("copy.db")
    ctx.run("backup", "--out", out, check_rc=0)
    db = sqlite3.connect(out)
    eq(db.execute("PRAGMA integrity_check").fetchone()[0], "ok", "integrity")
    eq(db.execute("SELECT count(*) FROM projects").fetchall(),
       ctx.sql("SELECT count(*) FROM projects"), "same projects")
    eq(ctx.run("backup", "--out", out).rc, 1, "never overwrites")
    r = ctx.run("report", "headline", "--year", "2023", "--as-of", "2023-12-31", "--json",
                db=out, check_rc=0)
    eq(r.json()["out_of_province_100m"]["count"], 1499, "the copy reports the same")


@postgresql_only
def test_backup_refuses_postgresql(ctx):
    """backup copies a SQLite file; a PostgreSQL database is backed up by its own tools."""
    ctx.init()
    out = ctx.path("copy.db")
    r = ctx.run("backup", "--out", out)
    eq(r.rc, 1, f"backup of a PostgreSQL database: {r!r}")
    eq(len(r.err.strip().splitlines()), 1, f"one error line: {r.err!r}")
    check(not os.path.exists(out), "no file written")
