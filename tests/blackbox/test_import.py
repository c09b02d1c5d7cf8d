"""Import and export of the interchange table: CSV (UTF-8, GB18030), XLSX."""
import os
import signal
import sqlite3
import subprocess
import time

import harness
from harness import check, eq, sqlite_only

FIX = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")

HEADER = "项目编号,项目名称,投资方,投资方省份,投资方城市,落地县市区,产业链,合同投资额(亿元),招商方式,签约活动,外向型,签约日期,注册日期,开工日期,不适用原因"
ROWS = [
    "I-001,新能源电池项目,常州示例新能源有限公司,江苏,常州市,襄城区,新能源电池及储能,25.5,产业链招商,,是,2023-03-01,2023/4/1,2023年6月1日,",
    "I-002,智能装备项目,深圳示例装备有限公司,广东省,深圳市,襄阳高新区,高端装备制造,8,以会招商,襄阳(深圳)示例推介会,否,2023-05-10,不适用,,现有企业扩建",
    "I-003,冷链物流项目,香港示例冷链有限公司,香港,,420607,现代物流,15,境外招商,,Y,2023/7/8,,,",
]


def write(ctx, name, text, encoding="utf-8", bom=False):
    p = ctx.path(name)
    data = text.encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    with open(p, "wb") as f:
        f.write(data)
    return p


def count(ctx):
    return ctx.sql("SELECT count(*) FROM projects")[0][0]


def test_import_csv_utf8_and_gb18030(ctx):
    ctx.init()
    p = write(ctx, "a.csv", "\r\n".join([HEADER] + ROWS) + "\r\n", bom=True)
    r = ctx.run("import", p, check_rc=0)
    check("新增 3" in r.out, r.out)
    eq(count(ctx), 3, "three projects")
    s = ctx.serve()
    j = s.get("/api/projects/I-002").json()
    eq((j["registered_on"], j["na_reason"], j["event"], j["region"]), ("不适用", "现有企业扩建", "襄阳(深圳)示例推介会", "襄阳高新区"), "row 2")
    j = s.get("/api/projects/I-003").json()
    eq((j["investor_province"], j["region"], j["foreign_oriented"], j["signed_on"]),
       ("香港特别行政区", "襄州区", True, "2023-07-08"), "row 3: region by code")
    j = s.get("/api/projects/I-001").json()
    eq((j["registered_on"], j["started_on"]), ("2023-04-01", "2023-06-01"), "date forms")
    # GB18030, as Chinese Excel saves it, with shuffled columns and English keys.
    gb = "name,code,investor,investor_province,region,amount_yi,signed_on\n" \
         "湖北示例项目,I-004,武汉示例有限公司,湖北,樊城区,3.25,2023-08-01\n"
    p = write(ctx, "gb.csv", gb, encoding="gb18030")
    ctx.run("import", p, check_rc=0)
    j = s.get("/api/projects/I-004").json()
    eq((j["name"], j["amount_wan"], j["investor_province"]), ("湖北示例项目", 32500, "湖北省"), "GB18030")


def test_import_errors_all_reported_nothing_written(ctx):
    ctx.init()
    rows = [
        "E-001,项目一,甲公司,江苏,,襄城区,,10x,,,,2023-01-01,,,",
        "E-002,项目二,乙公司,火星,,襄城区,,10,,,,2023-02-30,,,",
        "E-001,项目三,丙公司,江苏,,月球区,,10,,,,2023-01-01,,,",
        "E-004,项目四,丁公司,江苏,,襄城区,,10,,,,2023-01-01,2022-12-01,,",
        "E-005,项目五,戊公司,江苏,,襄城区,,10,,,,2023-01-01,,2023-02-01,",
        "E-006,项目六,己公司,江苏,,襄城区,,10,,,,2023-01-01,不适用,,",
    ]
    p = write(ctx, "bad.csv", "\n".join([HEADER] + rows) + "\n")
    r = ctx.run("import", p)
    eq(r.rc, 1, "errors exit 1")
    lines = r.err.strip().splitlines()
    expect = [
        f"{p}:2:合同投资额(亿元):", f"{p}:3:投资方省份:", f"{p}:3:签约日期:", f"{p}:4:项目编号:",
        f"{p}:4:落地县市区:", f"{p}:5:注册日期:", f"{p}:6:开工日期:", f"{p}:7:不适用原因:",
    ]
    for e in expect:
        check(any(l.startswith(e) for l in lines), f"missing {e!r} in {lines}")
    check(any("可填" in l and "襄城区" in l for l in lines if ":落地县市区:" in l), "names allowed values")
    eq(count(ctx), 0, "nothing written")
    # Only the real problems are reported.
    eq(len([l for l in lines if l.startswith(p)]), len(expect), f"exactly these errors: {lines}")
    # A missing required column.
    p = write(ctx, "nocol.csv", "项目编号,项目名称\nX,Y\n")
    r = ctx.run("import", p)
    eq(r.rc, 1, "missing columns")
    check(f"{p}:1:投资方:" in r.err, r.err)


def test_dry_run_and_reimport_semantics(ctx):
    ctx.init()
    p = write(ctx, "a.csv", "\n".join([HEADER] + ROWS) + "\n")
    r = ctx.run("import", p, "--dry-run", check_rc=0)
    check("未写入" in r.out, r.out)
    eq(count(ctx), 0, "dry run writes nothing")
    ctx.run("import", p, check_rc=0)
    # Unknown columns warn; absent columns keep; empty cells clear; present overwrite.
    upd = ("项目编号,项目名称,投资方,投资方省份,落地县市区,合同投资额(亿元),签约日期,招商方式,备注栏\n"
           "I-001,新能源电池项目,常州示例新能源有限公司,江苏,襄城区,30,2023-03-01,,随便写\n")
    p2 = write(ctx, "upd.csv", upd)
    r = ctx.run("import", p2, check_rc=0)
    check(f"{p2}:1:备注栏:" in r.err and "警告" in r.err, r.err)
    s = ctx.serve()
    j = s.get("/api/projects/I-001").json()
    eq((j["amount_yi"], j["channel"], j["chain"], j["name"]), ("30", None, "新能源电池及储能", "新能源电池项目"),
       "update semantics")


def test_export_reimport_changes_nothing(ctx):
    ctx.demo()
    out = ctx.path("all.csv")
    ctx.run("export", "--out", out, check_rc=0)
    data = open(out, "rb").read()
    check(data.startswith(b"\xef\xbb\xbf\xe9\xa1\xb9\xe7\x9b\xae\xe7\xbc\x96\xe5\x8f\xb7"), "BOM and 项目编号 first")
    check(b"\r\n" in data, "CRLF")
    versions = "SELECT code, version, updated_at FROM projects ORDER BY code"
    before = ctx.sql(versions)
    n = count(ctx)
    check(n > 0, "the demo has projects")
    r = ctx.run("import", out, check_rc=0)
    check(f"未变 {n}" in r.out, r.out)
    eq(ctx.sql(versions), before, "no version changed")
    out2 = ctx.path("again.csv")
    ctx.run("export", "--out", out2, check_rc=0)
    eq(open(out2, "rb").read(), data, "export is stable")
    # English keys
    r = ctx.run("export", "--keys", "--region", "襄城区", check_rc=0)
    check(r.out.startswith("\ufeffcode,name,investor,"), r.out[:80])


def test_xlsx_export_reimport_and_api(ctx):
    ctx.demo()
    out = ctx.path("all.xlsx")
    ctx.run("export", "--format", "xlsx", "--out", out, check_rc=0)
    check(open(out, "rb").read(2) == b"PK", "a zip")
    n = count(ctx)
    r = ctx.run("import", out, check_rc=0)
    check(f"未变 {n}" in r.out, r.out)
    s = ctx.serve()
    r = s.get("/api/export?format=xlsx&region=%E8%A5%84%E5%9F%8E%E5%8C%BA")
    eq(r.status, 200, repr(r))
    check(r.body[:2] == b"PK", "xlsx body")
    r = s.get("/api/export?format=csv&year=2023")
    eq(r.status, 200, "csv")
    check(r.header("Content-Type").startswith("text/csv"), "content type")
    # Import through the API: a dry run reports every row's error, writes nothing.
    bad = ("\n".join([HEADER, "Z-1,项目,公司,火星,,襄城区,,1,,,,2023-01-01,,,"]) + "\n").encode()
    r = s.request("POST", "/api/import?dry_run=1", bad, {"Content-Type": "text/csv"}, raw=True)
    eq(r.status, 400, repr(r))
    j = r.json()
    eq((j["ok"], j["errors"][0]["line"], j["errors"][0]["column"]), (False, 2, "投资方省份"), "row error")
    good = ("\n".join([HEADER, "Z-1,项目,公司,江苏,,襄城区,,1,,,,2023-01-01,,,"]) + "\n").encode()
    r = s.request("POST", "/api/import?dry_run=1", good, raw=True)
    eq((r.status, r.json()["created"]), (200, 1), "dry run ok")
    eq(s.get("/api/projects/Z-1").status, 404, "dry run wrote nothing")
    r = s.request("POST", "/api/import", good, raw=True)
    eq((r.status, r.json()["created"]), (200, 1), "imported")
    eq(s.get("/api/projects/Z-1").status, 200, "now present")


def test_xlsx_saved_by_libreoffice(ctx):
    """A workbook saved by LibreOffice Calc (tests/fixtures/import-lo.xlsx):
    date cells, numbers such as 3.3 stored as 3.3000000000000003, shared strings."""
    ctx.init()
    r = ctx.run("import", os.path.join(FIX, "import-lo.xlsx"), check_rc=0)
    check("新增 3" in r.out, r.out + r.err)
    s = ctx.serve()
    j = s.get("/api/projects/LO-001").json()
    eq((j["signed_on"], j["amount_yi"], j["investor_province"]), ("2023-02-09", "3.3", "江苏省"), "row 1")
    j = s.get("/api/projects/LO-002").json()
    eq((j["signed_on"], j["registered_on"], j["amount_yi"]), ("2023-12-28", "2024-01-15", "12.25"), "row 2")
    j = s.get("/api/projects/LO-003").json()
    eq((j["registered_on"], j["na_reason"]), ("不适用", "现有企业扩建"), "row 3")


def test_sub_units_roll_up_and_region_forms(ctx):
    """A sub-unit's projects count for its county-level unit; a region may be named by
    name, path or code, and an ambiguous or unknown one is refused."""
    ctx.init()
    ctx.sql("INSERT INTO regions (parent_id, name, level, county_id, assessed, sort_order)"
            " SELECT id, '余家湖工业园(示例)', 'sub', id, 1, 1 FROM regions WHERE name='襄城区'")
    eq(ctx.sql("SELECT count(*) FROM regions WHERE level='sub'"), [(1,)], "the sub-unit is in")
    rows = [
        "S-1,园区项目,甲公司,江苏,,襄城区/余家湖工业园(示例),,2,,,,2023-03-01,,,",
        "S-2,园区项目二,乙公司,江苏,,余家湖工业园(示例),,3,,,,2023-03-02,,,",
        "S-3,区级项目,丙公司,江苏,,湖北省/襄阳市/襄城区,,4,,,,2023-03-03,,,",
        "S-4,代码项目,丁公司,江苏,,420602,,5,,,,2023-03-04,,,",
    ]
    p = write(ctx, "sub.csv", "\n".join([HEADER] + rows) + "\n")
    ctx.run("import", p, check_rc=0)
    h = ctx.run("report", "headline", "--year", "2023", "--as-of", "2023-12-31", "--json", check_rc=0).json()
    row = [r for r in h["by_region"] if r["region"] == "襄城区"][0]
    eq((row["count"], row["amount_wan"]), (4, 140000), "sub-units roll up")
    eq(len(h["by_region"]), 13, "sub-units are not rows of their own")
    s = ctx.serve()
    eq(s.get("/api/projects/S-1").json()["county"], "襄城区", "county of a sub-unit")
    eq(len(s.get("/api/projects?region=襄城区").json()["items"]), 4, "county filter includes sub-units")
    eq(len(s.get("/api/projects?region=余家湖工业园(示例)").json()["items"]), 2, "sub-unit filter")
    p = write(ctx, "bad.csv", HEADER + "\nS-9,x,y,江苏,,襄阳市,,1,,,,2023-01-01,,,\n")
    r = ctx.run("import", p)
    eq(r.rc, 1, "a city is not a landing region")


def bulk_rows(n, bad_last=False):
    rows = []
    for i in range(n):
        prov = ["江苏", "广东", "湖北", "上海"][i % 4]
        region = ["襄城区", "樊城区", "襄州区", "枣阳市"][i % 4]
        signed = f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}"
        reg = f"2023-{1 + i % 12:02d}-{1 + (i % 28):02d}" if i % 3 else ""
        rows.append(f"B-{i:06d},批量项目{i},批量公司{i % 500},{prov},,{region},,{1 + i % 50}.5,,,,{signed},{reg},,")
    if bad_last:
        rows[-1] = rows[-1].replace(",江苏,", ",火星,").replace(",广东,", ",火星,").replace(",湖北,", ",火星,").replace(",上海,", ",火星,")
    return rows


def indexes(ctx):
    """The database's indexes and their definitions (on PostgreSQL its foreign keys
    too), after an integrity check."""
    if ctx.backend == "sqlite":
        db = sqlite3.connect(ctx.db)
        r = sorted(db.execute("SELECT name, sql FROM sqlite_master WHERE type='index'").fetchall(), key=str)
        ok = db.execute("PRAGMA integrity_check").fetchone()[0]
        db.close()
        eq(ok, "ok", "integrity")
        return r
    r = sorted(ctx.sql("SELECT schemaname || '.' || indexname, indexdef FROM pg_indexes"
                       " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"), key=str)
    eq(ctx.sql("SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
               " JOIN pg_namespace n ON n.oid = c.relnamespace"
               " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')"
               " AND NOT (i.indisvalid AND i.indisready AND i.indislive)"), [], "no invalid index")
    fks = sorted(ctx.sql("SELECT conrelid::regclass::text || '.' || conname, pg_get_constraintdef(oid)"
                         " FROM pg_constraint WHERE contype = 'f' AND convalidated"), key=str)
    check(len(fks) > 20, f"foreign keys: {fks}")
    return r + fks


def test_bulk_import_rebuilds_indexes(ctx):
    """A large import into a small table sets the indexes aside and builds them again;
    a failing one leaves the database exactly as it was."""
    ctx.init()
    before = indexes(ctx)
    p = write(ctx, "bad.csv", "\n".join([HEADER] + bulk_rows(6000, bad_last=True)) + "\n")
    r = ctx.run("import", p)
    eq(r.rc, 1, "the last row is wrong")
    check(f"{p}:6001:投资方省份:" in r.err, r.err[-300:])
    eq(count(ctx), 0, "nothing written")
    eq(indexes(ctx), before, "indexes as they were")
    p = write(ctx, "good.csv", "\n".join([HEADER] + bulk_rows(6000)) + "\n")
    ctx.run("import", p, check_rc=0)
    eq(count(ctx), 6000, "all rows")
    eq(indexes(ctx), before, "indexes rebuilt")
    eq(ctx.sql("SELECT count(*) FROM companies"), [(500,)], "companies once each")
    eq(ctx.sql("SELECT count(*) FROM project_rules"),
       [(6000 * 2 + 0,)], "register and start dues for every project")
    h = ctx.run("report", "headline", "--year", "2023", "--as-of", "2023-12-31", "--json", check_rc=0).json()
    # 4,500 省外 rows (湖北 is not), less the 120 at 50.5亿 (every 50th row,
    # all of them 广东 or 上海): above the 50亿 threshold, they wait for a
    # second person's confirmation.
    eq(ctx.sql("SELECT count(*) FROM projects WHERE amount_pending = 1"), [(120,)], "amounts above 50亿 wait")
    eq(h["out_of_province_100m"]["count"], 4500 - 120, "湖北 rows are not 省外; waiting amounts do not count")


EN_HEADER = ("code,name,investor,investor_credit_code,investor_province,investor_city,region,"
             "amount_yi,event,signed_on,registered_on")


def en_rows(first, n):
    """n filler rows for a bulk load: 500 companies, each always the same."""
    return [f"L-{i:06d},批量{i},批量公司{i % 500},,江苏,南京,襄州区,{1 + i % 40}.5,,2023-03-{1 + i % 28:02d},"
            for i in range(first, first + n)]


# Rows a bulk load must treat exactly as row-by-row saving does: an update of
# a project in the table, a company that gains its credit code and city, a new
# name under a known credit code (the company of that code), events new and
# known, a company met again.
SEED = [
    "X-1,甲项目,甲公司,,广东,,樊城区,3,已有活动,2023-02-01,",
    "X-2,乙项目,乙公司,91420600MA0000002Y,湖南,长沙,襄城区,4,,2023-02-02,",
]
MIXED = [
    "X-1,甲项目,甲公司,91420600MA0000001U,广东,深圳,樊城区,7,已有活动,2023-02-01,2023-03-01",
    "X-3,丙项目,丙公司,91420600MA0000002Y,湖南,长沙,枣阳市,5,新活动,2023-04-01,",
    "X-4,丁项目,甲公司,91420600MA0000001U,广东,深圳,谷城县,6,新活动,2023-04-02,",
    # What a bulk load's rows must carry through as written (on PostgreSQL
    # they go by COPY, whose text format gives \, tabs and \N a meaning).
    'W-1,"戊\\N项目\\\\路径\t制表",\\N,,江苏,,襄州区,2,\\活动\\N,2023-05-01,',
]


def investors(ctx, db=None):
    return ctx.sql("SELECT p.code, p.name, p.amount_wan, p.registered_on, c.name, c.credit_code, c.province,"
                   " c.city, e.name, p.version FROM projects p JOIN companies c ON c.id = p.investor_id"
                   " LEFT JOIN events e ON e.id = p.event_id ORDER BY p.code", db=db)


def test_bulk_import_matches_row_by_row(ctx):
    """A bulk load into a table with projects (what it knows it does not look
    up) saves exactly what the same rows saved one by one do."""
    ctx.init()
    ctx.run("import", write(ctx, "seed.csv", "\n".join([EN_HEADER] + SEED) + "\n"), check_rc=0)
    rows = MIXED + en_rows(0, 5997)
    r = ctx.run("import", write(ctx, "bulk.csv", "\n".join([EN_HEADER] + rows) + "\n"), check_rc=0)
    check("新增 6000, 更新 1" in r.out, r.out)
    # The same rows in files too small for a bulk load.
    one = ctx.new_db("one")
    ctx.run("init", db=one, check_rc=0)
    ctx.run("import", write(ctx, "seed1.csv", "\n".join([EN_HEADER] + SEED) + "\n"), db=one, check_rc=0)
    for k in range(0, len(rows), 2000):
        ctx.run("import", write(ctx, f"part{k}.csv", "\n".join([EN_HEADER] + rows[k:k + 2000]) + "\n"),
                db=one, check_rc=0)
    got = investors(ctx)
    eq(len(got), 6002, "projects")
    eq(got, investors(ctx, db=one), "bulk and row by row")
    eq([g[:2] + g[4:5] + g[8:9] for g in got if g[0] == "W-1"],
       [("W-1", "戊\\N项目\\\\路径\t制表", "\\N", "\\活动\\N")], "written as given")
    # (Not amount_pending: row by row, an amount is held against the
    # investor's projects saved before it; in bulk, against all of them.)
    for q in ("SELECT code, region_id, county_id, chain_id, channel_id, foreign_oriented, major, stage,"
              " verified_mask, terminated_on FROM projects ORDER BY code",
              "SELECT name, name_key, credit_code, province, city FROM companies ORDER BY name",
              "SELECT name, type, city, held_on FROM events ORDER BY name",
              "SELECT action, entity, entity_key, username FROM audit_log"
              " WHERE action LIKE 'project.%' ORDER BY entity_key, id"):
        a, b = ctx.sql(q), ctx.sql(q, db=one)
        eq((len(a), [x for x in a if x not in b][:3], [x for x in b if x not in a][:3]), (len(b), [], []), q)
    for db in (None, one):
        ctx.user("aud", "auditor", db=db)
        eq(ctx.run("--user", "aud", "audit", "verify", db=db).rc, 0, "the audit chain holds")
    eq([g[4:9] for g in got[-4:]],
       [("甲公司", "91420600MA0000001U", "广东省", "深圳", "已有活动"),
        ("乙公司", "91420600MA0000002Y", "湖南省", "长沙", None),
        ("乙公司", "91420600MA0000002Y", "湖南省", "长沙", "新活动"),
        ("甲公司", "91420600MA0000001U", "广东省", "深圳", "新活动")], "companies found, filled")
    eq((got[-4][0], got[-4][2], got[-4][9]), ("X-1", 70000, 2), "X-1 updated")
    pairs = ("SELECT p.code, r.rule_id, r.from_on, r.due, r.to_on, r.to_na FROM project_rules r"
             " JOIN projects p ON p.id = r.project_id ORDER BY 1, 2")
    eq(ctx.sql(pairs), ctx.sql(pairs, db=one), "rule pairs")
    for db in (None, one):
        eq(ctx.sql("SELECT count(*) FROM companies", db=db), [(503,)], "no company twice")
        eq(ctx.sql("SELECT count(*) FROM events", db=db), [(3,)], "no event twice")
        eq(ctx.sql("SELECT count(*) FROM audit_log WHERE action LIKE 'project.%'", db=db), [(6003,)], "audit rows")


def test_bulk_import_reports_repeated_codes(ctx):
    """Codes a bulk load knows are new still meet the duplicate check: a code
    repeated in the file, and one of the table given twice."""
    ctx.init()
    ctx.run("import", write(ctx, "seed.csv", "\n".join([EN_HEADER] + SEED) + "\n"), check_rc=0)
    rows = en_rows(0, 5998)
    rows[10] = rows[3]
    rows[20] = MIXED[0]
    rows[30] = MIXED[0].replace(",7,", ",8,")
    p = write(ctx, "bulk.csv", "\n".join([EN_HEADER] + rows) + "\n")
    r = ctx.run("import", p)
    eq(r.rc, 1, "refused")
    check(f"{p}:12:" in r.err and "L-000003 在文件中重复 (第 5 行已出现)" in r.err, r.err[-600:])
    check(f"{p}:32:" in r.err and "X-1 在文件中重复 (第 22 行已出现)" in r.err, r.err[-600:])
    eq(count(ctx), 2, "nothing written")


def test_bulk_import_failing_write_leaves_nothing(ctx):
    """A write that fails late in a bulk load (on PostgreSQL its result is read
    with a later statement's) fails the import and leaves nothing of it."""
    ctx.init()
    if ctx.backend == "sqlite":
        ctx.sql("CREATE TRIGGER boom BEFORE INSERT ON project_rules WHEN (SELECT code FROM projects"
                " WHERE id = NEW.project_id) = 'L-004321' BEGIN SELECT RAISE(ABORT, 'boom 4321'); END")
    else:
        ctx.sql("CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF (SELECT code"
                " FROM projects WHERE id = NEW.project_id) = 'L-004321' THEN RAISE EXCEPTION 'boom 4321';"
                " END IF; RETURN NEW; END $$")
        ctx.sql("CREATE TRIGGER boom BEFORE INSERT ON project_rules FOR EACH ROW EXECUTE FUNCTION boom()")
    before = indexes(ctx)
    p = write(ctx, "bulk.csv", "\n".join([EN_HEADER] + en_rows(0, 6000)) + "\n")
    r = ctx.run("import", p)
    eq(r.rc, 1, "failed")
    check("boom 4321" in r.err, r.err[-400:])
    eq(count(ctx), 0, "no project")
    eq(ctx.sql("SELECT count(*) FROM companies"), [(0,)], "no company")
    eq(ctx.sql("SELECT count(*) FROM audit_log WHERE action LIKE 'project.%'"), [(0,)], "no audit row")
    eq(indexes(ctx), before, "indexes as they were")
    ctx.sql("DROP TRIGGER boom" + ("" if ctx.backend == "sqlite" else " ON project_rules"))
    ctx.run("import", p, check_rc=0)
    eq(count(ctx), 6000, "imported once the fault is gone")


def journal_mode(ctx):
    return ctx.sql("PRAGMA journal_mode")[0][0]


@sqlite_only
def test_bulk_import_alone_takes_the_database(ctx):
    """A large CLI import with nobody else on the SQLite file takes it for itself
    (a rollback journal instead of the WAL): others wait meanwhile, a crash
    half-way leaves the database as it was, and it is back in WAL mode after."""
    ctx.init()
    ctx.user("aud", "auditor")
    before = indexes(ctx)
    eq(journal_mode(ctx), "wal", "WAL to begin with")
    # Enough rows for the transaction to outgrow the import's 64 MiB page
    # cache, so that pages reach the file half-way through it.
    p = write(ctx, "bulk.csv", "\n".join([EN_HEADER] + en_rows(0, 80000)) + "\n")
    journal = ctx.db + "-journal"

    def hot():
        # With synchronous=FULL, SQLite writes the journal's magic number only
        # once the journal is synced, just before the first page goes to the
        # file; until then the journal is ignored (the file is untouched) and
        # a crash there tests nothing. Leaving WAL mode rewrites the header in
        # a transaction of its own, whose one-page journal (4.6 KB) is hot for
        # a moment too; the import's holds the pages its dropped indexes and
        # first rows changed (about 120 KB on a new database).
        try:
            with open(journal, "rb") as f:
                return (f.read(8) == bytes.fromhex("d9d505f920a163d7")
                        and os.fstat(f.fileno()).st_size > 1 << 16)
        except FileNotFoundError:
            return False

    env = dict(os.environ, ZHAOSHANG_NOW=ctx.now)
    proc = subprocess.Popen([harness.BINARY, "--db", ctx.db, "import", p], env=env, cwd=ctx.tmp,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not hot() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.001)
        check(hot(), f"a rollback journal in use while importing (exit {proc.poll()})")
        other = sqlite3.connect(ctx.db, timeout=0)
        try:
            other.execute("SELECT count(*) FROM projects").fetchall()
            locked = ""
        except sqlite3.OperationalError as e:
            locked = str(e)
        finally:
            other.close()
        eq(locked, "database is locked", "another connection waits for the import")
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    check(os.path.exists(journal), "the journal outlives the crash")
    # The next open rolls the journal back and returns to WAL mode.
    ctx.run("report", "headline", "--year", "2023", "--json", check_rc=0)
    check(not os.path.exists(journal), "journal rolled back")
    eq(journal_mode(ctx), "wal", "WAL mode after the crash")
    eq(count(ctx), 0, "nothing of the killed import")
    eq(ctx.sql("SELECT count(*) FROM companies"), [(0,)], "no company of it")
    eq(indexes(ctx), before, "indexes as they were")
    ctx.run("--user", "aud", "audit", "verify", check_rc=0)
    # Run to its end, the same import commits everything and gives the file back.
    ctx.run("import", p, check_rc=0)
    eq(count(ctx), 80000, "all rows")
    eq(journal_mode(ctx), "wal", "WAL mode after the import")
    check(not os.path.exists(journal), "no journal left")
    eq(indexes(ctx), before, "indexes rebuilt")
    ctx.run("--user", "aud", "audit", "verify", check_rc=0)


@sqlite_only
def test_bulk_import_beside_the_server(ctx):
    """With the server using the SQLite file, a large CLI import runs beside it in
    WAL mode: the server keeps answering and sees the rows once committed."""
    ctx.init()
    s = ctx.serve()
    eq(s.get("/api/projects?limit=1").json()["items"], [], "empty")
    p = write(ctx, "bulk.csv", "\n".join([EN_HEADER] + en_rows(0, 8000)) + "\n")
    ctx.run("import", p, check_rc=0)
    eq(journal_mode(ctx), "wal", "still WAL")
    check(not os.path.exists(ctx.db + "-journal"), "no rollback journal")
    j = s.get("/api/projects/L-007999").json()
    eq((j["code"], j["region"]), ("L-007999", "襄州区"), "the server sees the import")
    eq(count(ctx), 8000, "all rows")
