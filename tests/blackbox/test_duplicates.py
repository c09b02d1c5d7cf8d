"""One project, one identity: suspected duplicates found on import (row by
row, and in one pass for a large file), before saving and on saving through
the API; the bureau marks a group distinct or merges it, keeping the history
of both."""
import json
import urllib.parse

from harness import check, eq

HEADER = "code,name,investor,investor_province,region,amount_yi,signed_on,event"

# Each pattern against an original of its own investor, so each makes one
# group of two. (code, name, investor, province, region, amount, signed, event)
PATTERNS = [
    # A copy of a project claimed by another county.
    ("D-COPY-A", "华创动力电池项目", "华创新能源科技有限公司", "广东", "襄州区", "30", "2023-03-01", ""),
    ("D-COPY-B", "华创动力电池项目", "华创新能源科技有限公司", "广东", "枣阳市", "30", "2023-03-01", ""),
    # The same project signed again at an event weeks later.
    ("D-EVT-A", "远景智能风机装配项目", "远景能源有限公司", "江苏", "襄城区", "12", "2023-04-02", ""),
    ("D-EVT-B", "远景智能风机装配项目", "远景能源有限公司", "江苏", "襄城区", "12", "2023-05-20", "襄阳(南京)推介会"),
    # A renamed variant: phase marker, 建设项目, spaces, full-width characters.
    ("D-NAME-A", "恒泰精密轴承生产线项目", "恒泰轴承股份有限公司", "浙江", "樊城区", "8", "2023-06-01", ""),
    ("D-NAME-B", "恒泰 精密轴承生产线建设项目（一期）", "恒泰轴承股份有限公司", "浙江", "樊城区", "8", "2023-06-01", ""),
    # The investor written differently (another company record).
    ("D-INV-A", "三环锻造扩能项目", "湖北三环集团有限公司", "湖北", "襄阳高新区", "5", "2023-07-01", ""),
    ("D-INV-B", "三环锻造扩能工程", "三环集团", "湖北", "襄阳高新区", "5", "2023-07-01", ""),
    # Amounts a few percent apart.
    ("D-AMT-A", "蓝海冷链物流园项目", "蓝海物流集团有限公司", "上海", "老河口市", "10", "2023-08-01", ""),
    ("D-AMT-B", "蓝海冷链物流园项目", "蓝海物流集团有限公司", "上海", "老河口市", "10.4", "2023-08-15", ""),
]

# An investor's genuinely different projects: another product, another scale.
DISTINCT = [
    ("D-OK-1", "比亚迪动力电池项目", "比亚迪股份有限公司", "广东", "襄州区", "50", "2023-03-01", ""),
    ("D-OK-2", "比亚迪汽车零部件项目", "比亚迪股份有限公司", "广东", "襄州区", "50", "2023-03-01", ""),
    ("D-OK-3", "比亚迪动力电池项目", "比亚迪股份有限公司", "广东", "襄州区", "120", "2024-03-01", ""),
]

WANT = {
    ("D-AMT-A", "D-AMT-B"): ("0.99", ["same investor", "same name", "similar amount", "signed again"]),
    ("D-COPY-A", "D-COPY-B"): ("1.00", ["same investor", "same name", "same amount", "another region"]),
    ("D-EVT-A", "D-EVT-B"): ("1.00", ["same investor", "same name", "same amount", "signed again"]),
    # The other company record: investor 95 (equal keys), name 100 (equal
    # keys), amount 100: (4000 + 2850 + 3000) / 100 = 98.5, rounded 99.
    ("D-INV-A", "D-INV-B"): ("0.99", ["similar investor name", "same name", "same amount"]),
    ("D-NAME-A", "D-NAME-B"): ("1.00", ["same investor", "same name", "same amount"]),
}


def csv_text(rows):
    return "\n".join([HEADER] + [",".join(r) for r in rows]) + "\n"


def write(ctx, name, rows):
    p = ctx.path(name)
    with open(p, "w", encoding="utf-8") as f:
        f.write(csv_text(rows))
    return p


def groups(ctx):
    r = ctx.run("duplicates", "--json", check_rc=0)
    return {tuple(g["codes"]): (g["score"], g["reasons"]) for g in json.loads(r.out)}


def test_import_finds_each_pattern(ctx):
    ctx.init()
    ctx.run("import", write(ctx, "d.csv", PATTERNS + DISTINCT), check_rc=0)
    eq(groups(ctx), WANT, "one group per pattern, the distinct projects left alone")
    r = ctx.run("duplicates", check_rc=0)
    check("D-COPY-A, D-COPY-B  1.00  同一投资方、项目名称相同、金额相同、落地区域不同" in r.out, r.out)
    check("共 5 组疑似重复项目" in r.out, r.out)
    # The API gives the same groups, with each project's summary.
    s = ctx.serve()
    api = s.get("/api/duplicates").json()
    eq({tuple(g["codes"]): (g["score"], g["reasons"]) for g in api}, WANT, "the API's groups")
    copy = next(g for g in api if g["codes"][0] == "D-COPY-A")
    eq([(p["code"], p["region"], p["amount_yi"]) for p in copy["projects"]],
       [("D-COPY-A", "襄州区", "30.00"), ("D-COPY-B", "枣阳市", "30.00")], "members")
    eq(copy["reason_names"], ["同一投资方", "项目名称相同", "金额相同", "落地区域不同"], "reasons in Chinese")
    # A large file is checked in one pass at its end: the same groups.
    big = ctx.new_db("big")
    ctx.run("init", db=big, check_rc=0)
    filler = [(f"F-{i:05d}", f"填充项目{i}", f"填充投资{i}有限公司", "广东", "襄州区", str(1 + i % 50),
               "2023-02-01", "") for i in range(5200)]
    ctx.run("import", write(ctx, "big.csv", filler + PATTERNS + DISTINCT), db=big, check_rc=0)
    eq(ctx.sql("SELECT count(*) FROM projects", db=big)[0][0], 5200 + len(PATTERNS) + len(DISTINCT), "imported")
    r = ctx.run("duplicates", "--json", db=big, check_rc=0)
    eq({tuple(g["codes"]): (g["score"], g["reasons"]) for g in json.loads(r.out)}, WANT, "bulk import")


def test_check_before_saving_and_decisions(ctx):
    ctx.init()
    ctx.run("import", write(ctx, "d.csv", PATTERNS[:2] + PATTERNS[8:10]), check_rc=0)
    s = ctx.serve()
    entry = {"code": "D-NEW", "name": "华创动力电池建设项目", "investor": "华创新能源科技有限公司",
             "investor_province": "广东", "region": "南漳县", "amount_yi": "29.5", "signed_on": "2023-09-01"}
    r = s.request("POST", "/api/duplicates/check", entry)
    eq(r.status, 200, f"check: {r!r}")
    hits = r.json()["duplicates"]
    eq(sorted(h["code"] for h in hits), ["D-COPY-A", "D-COPY-B"], "what it would duplicate")
    check(all("same investor" in h["reasons"] and "another region" in h["reasons"] for h in hits), hits)
    eq(s.get("/api/projects/D-NEW").status, 404, "nothing saved by the check")
    bad = s.request("POST", "/api/duplicates/check", dict(entry, amount_yi="abc"))
    eq((bad.status, bad.json()["error"]["field"]), (400, "amount_yi"), "a bad field named")
    # Saved anyway: the group grows to three.
    eq(s.request("POST", "/api/projects", entry).status, 201, "saved")
    eq(groups(ctx)[("D-COPY-A", "D-COPY-B", "D-NEW")][1][0], "same investor", "a group of three")
    # An edit that makes it another project takes it out of the group.
    eq(s.request("PATCH", "/api/projects/D-NEW", {"name": "华创储能电站项目", "amount_yi": "80"}).status, 200, "edit")
    check(("D-COPY-A", "D-COPY-B") in groups(ctx), "back to the pair")
    # A region operator sees only groups wholly inside its region; it may
    # not decide.
    xz = s.client("xz", "region", region="襄州区")
    eq(xz.get("/api/duplicates").json(), [], "the copy pair spans two counties")
    lhk = s.client("lhk", "region", region="老河口市")
    eq([g["codes"] for g in lhk.get("/api/duplicates").json()], [["D-AMT-A", "D-AMT-B"]], "its own pair")
    eq(lhk.request("POST", "/api/duplicates/distinct", {"codes": ["D-AMT-A", "D-AMT-B"]}).status, 403, "bureau only")
    # Marked distinct: gone, and an edit does not bring it back.
    r = s.request("POST", "/api/duplicates/distinct", {"codes": ["D-AMT-A", "D-AMT-B"]})
    eq((r.status, r.json()), (200, {"pairs": 1}), f"distinct: {r!r}")
    eq(s.request("POST", "/api/duplicates/distinct", {"codes": ["D-AMT-A", "D-AMT-B"]}).status, 404, "once")
    eq(s.request("PATCH", "/api/projects/D-AMT-B", {"amount_yi": "10.2"}).status, 200, "edited")
    check(("D-AMT-A", "D-AMT-B") not in groups(ctx), "a distinct pair stays distinct")
    eq(s.request("POST", "/api/duplicates/distinct", {"codes": ["D-AMT-A"]}).json()["error"]["field"], "codes",
       "two codes at least")
    eq(ctx.sql("SELECT username, action, entity_key FROM audit_log WHERE action = 'duplicates.distinct'"),
       [("tester", "duplicates.distinct", "D-AMT-A,D-AMT-B")], "audited")


def test_merge_keeps_one_record_and_both_histories(ctx):
    ctx.init()
    ctx.run("import", write(ctx, "d.csv", PATTERNS[:2]), check_rc=0)
    s = ctx.serve(extra=("--evidence-dir", ctx.path("ev")))
    # Things hang on the copy: a registration with its evidence, a problem.
    eq(s.request("PATCH", "/api/projects/D-COPY-B", {"registered_on": "2023-03-20"}).status, 200, "registered")
    q = urllib.parse.urlencode({"kind": "licence", "name": "执照.pdf"})
    eq(s.request("POST", f"/api/projects/D-COPY-B/milestones/registered/evidence?{q}", b"%PDF-1.4\n%%EOF\n",
                 raw=True, headers={"Content-Type": "application/octet-stream"}).status, 201, "evidence")
    r = s.request("POST", "/api/projects/D-COPY-B/problems", {"category": "land", "title": "用地指标",
                                                            "deadline": "2099-12-31"})
    eq(r.status, 201, f"problem: {r!r}")
    head = s.get("/api/reports/headline?year=2023").json()
    r = s.request("POST", "/api/duplicates/merge", {"keep": "D-COPY-A", "merge": ["D-COPY-B"]})
    eq(r.status, 200, f"merge: {r!r}")
    eq(r.json()["code"], "D-COPY-A", "the kept project")
    gone = s.get("/api/projects/D-COPY-B")
    eq((gone.status, gone.json()["error"]["code"], gone.json()["error"]["merged_into"]),
       (404, "merged", "D-COPY-A"), "the merged code leads to the kept one")
    eq([e["milestone"] for e in s.get("/api/projects/D-COPY-A/evidence").json()], ["registered"], "evidence moved")
    eq([p["code"] for p in s.get("/api/problems").json()], ["D-COPY-A"], "problem moved")
    eq(s.get("/api/duplicates").json(), [], "no open group")
    after = s.get("/api/reports/headline?year=2023").json()
    eq(after["out_of_province_100m"]["count"], head["out_of_province_100m"]["count"] - 1, "counted once")
    # Both histories remain: the merged code's creation and its merge.
    hb = [h["action"] for h in s.get("/api/projects/D-COPY-B/history").json()["items"]]
    eq(hb, ["project.merge", "evidence.add", "project.update", "project.create"], "the merged code's history")
    ha = [h["action"] for h in s.get("/api/projects/D-COPY-A/history").json()["items"]]
    eq(ha[0], "project.merge", f"the kept code's history: {ha}")
    snap = ctx.sql("SELECT merged_code, snapshot FROM project_merges")
    eq((snap[0][0], json.loads(snap[0][1])["region"]), ("D-COPY-B", "枣阳市"), "the record as it was")
    # Bad merges are refused whole.
    eq(s.request("POST", "/api/duplicates/merge", {"keep": "D-COPY-A", "merge": ["D-COPY-A"]}).json()["error"]
       ["field"], "merge", "not into itself")
    eq(s.request("POST", "/api/duplicates/merge", {"keep": "D-COPY-A", "merge": ["NOPE"]}).status, 404, "unknown")


# Other projects of the first pattern's investor, between its two rows: the
# scan compares each row with every earlier one of a close investor key, not
# only with its neighbour.
BETWEEN = [
    ("D-COPY-X1", "华创储能电站运维中心", "华创新能源科技有限公司", "广东", "南漳县", "2", "2021-01-10", ""),
    ("D-COPY-X2", "华创光伏组件物流仓库", "华创新能源科技有限公司", "广东", "保康县", "0.6", "2020-05-05", ""),
]


def test_scan_finds_what_was_there_before(ctx):
    ctx.init()
    rows = PATTERNS[:1] + BETWEEN + PATTERNS[1:] + DISTINCT
    ctx.run("import", write(ctx, "d.csv", rows), check_rc=0)
    eq(groups(ctx), WANT, "the check on import")
    # As a database from before the check: no pairs, no comparison keys.
    ctx.sql("DELETE FROM duplicate_pairs")
    ctx.sql("UPDATE companies SET name_key = NULL")
    eq(groups(ctx), {}, "nothing recorded")
    r = ctx.run("duplicates", "--scan", check_rc=0)
    check("发现 5 对疑似重复" in r.out, r.out)
    eq(groups(ctx), WANT, "the scan finds every pattern")
    eq(ctx.sql("SELECT username, action FROM audit_log WHERE action = 'duplicates.scan'"),
       [("cli", "duplicates.scan")], "audited")
    eq(ctx.run("duplicates", "--bogus").rc, 2, "usage")
