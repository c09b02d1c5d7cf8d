"""The monthly assessment: small cases computed by hand from the domain's formula,
tie-breaks, the excluded zone, publication surviving later edits, objections,
the major-project list and its progress entries."""
import urllib.parse

from harness import check, eq

COUNTIES = ["襄城区", "樊城区", "襄州区", "老河口市", "枣阳市", "宜城市", "南漳县", "谷城县",
            "保康县", "襄阳高新区", "襄阳经开区", "东津新区"]


def project(s, code, region, amount, signed, **more):
    body = {"code": code, "name": "考核项目" + code, "investor": "投资方" + code, "investor_province": "广东",
            "region": region, "amount_yi": amount, "signed_on": signed, **more}
    r = s.request("POST", "/api/projects", body)
    eq(r.status, 201, f"{code}: {r!r}")


def seed_march(s):
    # Signed in 2024-03, 亿元以上省外: 襄城区 2 (5亿), 樊城区 1 (10亿); the zone's count nowhere.
    project(s, "A1", "襄城区", "2", "2024-03-05")
    project(s, "A2", "襄城区", "3", "2024-03-06")
    project(s, "A3", "樊城区", "10", "2024-03-07")
    for i in range(5):
        project(s, f"Z{i}", "鱼梁洲经济开发区", "20", "2024-03-08")
    # register pairs due in March (signed in January, below 1亿): done, late, overdue.
    project(s, "R1", "襄城区", "0.5", "2024-01-10", registered_on="2024-03-05")
    project(s, "R2", "樊城区", "0.5", "2024-01-15", registered_on="2024-03-20")
    project(s, "R3", "襄州区", "0.5", "2024-01-20")


def test_hand_computed_case(ctx):
    ctx.init()
    s = ctx.serve()
    seed_march(s)
    a = ctx.run("assess", "--month", "2024-03", "--json", check_rc=0).json()
    eq((a["month"], a["published"], a["evaluated_on"]), ("2024-03", False, "2024-04-01"), "month")
    eq(sorted(x["region"] for x in a["ranking"]), sorted(COUNTIES), "exactly the assessed regions")
    by = {x["region"]: x for x in a["ranking"]}
    eq(by["襄城区"]["indicators"], {"signed_count": 2, "signed_amount": 50000, "register_rate": "100.00",
                                  "start_rate": None, "include_rate": None, "overdue_count": 0,
                                  "invested_amount": 0}, "襄城区's inputs")
    eq((by["樊城区"]["indicators"]["register_rate"], by["襄州区"]["indicators"]["register_rate"],
        by["襄州区"]["indicators"]["overdue_count"]), ("0.00", "0.00", 1), "late and overdue")
    # 25×1 + 20×0.5 + 10×1 + 15 + 10 + 10×1 + 10 = 90; 25×0.5 + 20 + 0 + 15 + 10 + 10 + 10 = 77.5;
    # 0 + 0 + 0 + 15 + 10 + 0 + 10 = 35; the rest 10 + 15 + 10 + 10 + 10 = 55.
    order = [(x["region"], x["score"]) for x in a["ranking"]]
    want = [("襄城区", "90.00"), ("樊城区", "77.50")] + \
           [(r, "55.00") for r in COUNTIES if r not in ("襄城区", "樊城区", "襄州区")] + [("襄州区", "35.00")]
    eq(order, want, "scores, ties in the configured order")
    eq([x["rank"] for x in a["ranking"]], list(range(1, 13)), "unique ranks")
    eq([x["region"] for x in a["ranking"] if x["bottom3"]], ["襄阳经开区", "东津新区", "襄州区"], "the last three")
    eq(by["樊城区"]["normalised"]["signed_count"], "0.5000", "normalised values shown")
    eq(by["襄城区"]["projects"]["signed_count"], ["A1", "A2"], "drill-down to the projects")
    eq(by["襄州区"]["projects"]["overdue_count"], ["R3"], "drill-down of the overdue")
    eq(s.get("/api/assessments/2024-03").json(), a, "API = CLI")
    check("通报批评" in ctx.run("assess", "--month", "2024-03", check_rc=0).out, "text names the last three")


def test_overdue_pairs_past_and_open(ctx):
    # A pair is overdue on the evaluation day when it was never finished and
    # when it was finished only after that day (the store asks the two apart).
    ctx.init()
    s = ctx.serve()
    project(s, "O1", "老河口市", "0.5", "2023-12-10", registered_on="2024-04-15")  # finished after
    project(s, "O2", "枣阳市", "0.5", "2023-12-10", registered_on="2024-03-25")    # late, before
    project(s, "O3", "宜城市", "0.5", "2023-12-10")                                # never
    def overdue(month):
        a = s.get(f"/api/assessments/{month}").json()
        return {x["region"]: (x["indicators"]["overdue_count"], x["projects"]["overdue_count"])
                for x in a["ranking"] if x["region"] in ("老河口市", "枣阳市", "宜城市")}
    eq(overdue("2024-03"), {"老河口市": (1, ["O1"]), "枣阳市": (0, []), "宜城市": (1, ["O3"])},
       "evaluated on 2024-04-01")
    eq(overdue("2024-04"), {"老河口市": (0, []), "枣阳市": (0, []), "宜城市": (1, ["O3"])},
       "evaluated on 2024-05-01, after O1's registration")
    eq(ctx.run("assess", "--month", "2024-03", "--json", check_rc=0).json(),
       s.get("/api/assessments/2024-03").json(), "API = CLI")


def test_ties_months_and_weights(ctx):
    ctx.init()
    s = ctx.serve()
    # Equal scores at two decimals go to the larger signed amount: with the
    # amount weighing nothing, 南漳县 (2亿) ranks before 宜城市 (1亿).
    ctx.run("config", "set", "assess.weight.signed_amount", "0", check_rc=0)
    project(s, "T1", "宜城市", "1", "2024-05-03")
    project(s, "T2", "南漳县", "2", "2024-05-04")
    a = s.get("/api/assessments/2024-05").json()
    eq(a["weights"]["signed_amount"], 0, "configured weight")
    top = [(x["region"], x["score"]) for x in a["ranking"][:2]]
    eq(top, [("南漳县", "80.00"), ("宜城市", "80.00")], "tie broken by amount, not by order")
    # The current month is evaluated as of today; a month not begun is an error.
    cur = s.get("/api/assessments/2025-06").json()
    eq((cur["evaluated_on"], cur["current_month"]), ("2025-06-30", True), "current month")
    eq(s.get("/api/assessments/2025-07").status, 400, "a month not yet begun")
    eq(ctx.run("assess", "--month", "2025-07").rc, 1, "CLI: a month not yet begun")
    eq(ctx.run("assess", "--month", "2025-13").rc, 2, "CLI: a bad month")
    eq(s.get("/api/assessments/2024-5").json()["error"]["field"], "month", "a bad month")


def test_publish_freezes_objections(ctx):
    ctx.init()
    s = ctx.serve()
    seed_march(s)
    op = s.client("xc", "region", region="襄城区")
    r = op.request("POST", "/api/assessments/2024-03/objections", {"region": "襄城区", "text": "A2 签约日期有误"})
    eq(r.status, 201, f"objection: {r!r}")
    oid = r.json()["id"]
    eq(op.request("POST", "/api/assessments/2024-03/objections", {"region": "樊城区", "text": "x"}).status, 403,
       "only its own region")
    sup = s.client("dc", "supervisor")
    eq(sup.request("PUT", f"/api/assessments/2024-03/objections/{oid}", {"answer": "已核实,日期无误"}).status, 200,
       "answered")
    ob = s.get("/api/assessments/2024-03/objections").json()
    eq((ob[0]["region"], ob[0]["answer"], ob[0]["answered_by"]), ("襄城区", "已核实,日期无误", "dc"), "recorded")
    eq(s.request("POST", "/api/assessments/2024-03/publication").status, 403, "bureau staff cannot publish")
    eq(sup.request("POST", "/api/assessments/2025-06/publication").status, 409, "not the current month")
    r = sup.request("POST", "/api/assessments/2024-03/publication")
    eq((r.status, r.json()["published"]), (201, True), "published")
    eq(sup.request("POST", "/api/assessments/2024-03/publication").status, 409, "once")
    frozen = s.get("/api/assessments/2024-03").json()
    # Later edits do not change the published month...
    project(s, "L1", "襄州区", "9", "2024-03-20")
    eq(s.get("/api/assessments/2024-03").json(), frozen, "frozen")
    eq(ctx.run("assess", "--month", "2024-03", "--json", check_rc=0).json(), frozen, "CLI too")
    # ...a recomputation shows what would differ.
    rc = s.get("/api/assessments/2024-03?recompute=1").json()
    check(rc["differs"], "differs")
    check({"region": "襄州区", "field": "signed_count", "published": 0, "now": 1} in rc["changes"], str(rc["changes"]))
    eq(op.request("POST", "/api/assessments/2024-03/objections", {"region": "襄城区", "text": "迟到的异议"}).status,
       409, "no objection after publication")
    eq(ctx.sql("SELECT count(*) FROM audit_log WHERE action = 'assessment.publish'"), [(1,)], "audited")


def test_major_projects_and_progress(ctx):
    ctx.init()
    s = ctx.serve()
    project(s, "M1", "襄城区", "12", "2024-01-05", major="是", registered_on="2024-02-01", started_on="2024-03-01")
    project(s, "M2", "樊城区", "15", "2024-02-05", major="是")
    project(s, "N1", "樊城区", "2", "2024-02-05")
    eq(s.request("PUT", "/api/projects/M2/plan", {"planned_start_on": "2024-06-01",
                                                  "planned_producing_on": "2025-06-01",
                                                  "planned_total_wan": 150000}).status, 200, "plan")
    eq(s.request("PUT", "/api/projects/N1/plan", {"planned_start_on": "2024-06-01"}).status, 409, "majors only")
    r = s.request("PUT", "/api/projects/M1/progress/2024-03", {"invested_wan": 3000, "cumulative_wan": 3000,
                                                                "note": "厂房主体施工"})
    eq(r.status, 200, f"progress: {r!r}")
    eq(s.request("PUT", "/api/projects/M1/progress/2024-03", {"invested_wan": 3000, "cumulative_wan": 100}).json()
       ["error"]["field"], "cumulative_wan", "cumulative below the month")
    eq(s.request("PUT", "/api/projects/M1/progress/2025-09", {"invested_wan": 1, "cumulative_wan": 1}).status,
       400, "a month not begun")
    eq(s.request("PUT", "/api/projects/M1/progress/2024-03", {"invested_wan": "3000", "cumulative_wan": 1}).json()
       ["error"]["field"], "invested_wan", "an integer of 万元")
    lst = s.get("/api/major-projects?month=2024-03").json()
    items = {x["code"]: x for x in lst["items"]}
    eq(sorted(items), ["M1", "M2"], "major projects only")
    eq((items["M1"]["status"], items["M1"]["invested_wan"], items["M1"]["entry_missing"]),
       ("building", 3000, False), "under construction with its entry")
    eq((items["M2"]["status"], items["M2"]["entry_missing"], items["M2"]["behind_plan"]),
       ("to_start", True, True), "no entry by the 5th of April; planned start passed")
    eq([x["code"] for x in s.get("/api/major-projects?month=2024-03&status=to_start").json()["items"]], ["M2"],
       "by status")
    # A building project past its planned production day is behind too.
    eq(s.request("PUT", "/api/projects/M1/plan", {"planned_start_on": "2024-02-20",
                                                  "planned_producing_on": "2025-01-31"}).status, 200, "M1's plan")
    items = {x["code"]: x for x in s.get("/api/major-projects?month=2025-05").json()["items"]}
    eq((items["M1"]["status"], items["M1"]["behind_plan"]), ("building", True), "not producing by its planned day")
    eq(s.request("PUT", "/api/projects/M1/plan", {"planned_start_on": "2024-02-20",
                                                  "planned_producing_on": "2026-01-31"}).status, 200, "moved")
    items = {x["code"]: x for x in s.get("/api/major-projects?month=2025-05").json()["items"]}
    eq(items["M1"]["behind_plan"], False, "started, and its planned production day is ahead")
    a = s.get("/api/assessments/2024-03").json()
    by = {x["region"]: x for x in a["ranking"]}
    eq((by["襄城区"]["indicators"]["invested_amount"], by["襄城区"]["projects"]["invested_amount"]), (3000, ["M1"]),
       "the month's investment counts in the assessment")
    # Without a cumulative figure the server adds this month to the last.
    eq(s.request("PUT", "/api/projects/M1/progress/2024-04", {"invested_wan": 1000}).status, 200, "April")
    eq(s.request("PUT", "/api/projects/M1/progress/2024-05", {"invested_wan": 2500}).status, 200, "May")
    eq({p["month"]: p["cumulative_wan"] for p in s.get("/api/projects/M1/progress").json()},
       {"2024-03": 3000, "2024-04": 4000, "2024-05": 6500}, "progress history with cumulative figures")
    eq(s.client("ld", "leader").request("PUT", "/api/projects/M1/progress/2024-04",
                                        {"invested_wan": 1, "cumulative_wan": 3001}).status, 403, "leaders read only")


def test_bulletin_and_briefing(ctx):
    import io
    import zipfile
    ctx.init()
    s = ctx.serve()
    seed_march(s)
    b = s.get("/api/bulletins/2024-03").json()
    eq((b["title"], b["published"]), ("2024年3月招商引资督办通报", False), "title")
    text = "".join(b["paragraphs"])
    check("襄城区以90.00分位列第一" in text, text)
    check("襄阳经开区、东津新区、襄州区位列后三位" in text and "通报批评" in text, text)
    check("签约亿元以上省外项目3个,合同投资额15.00亿元" in text, text)
    eq(len(b["regions"]), 12, "each region's breakdown")
    check(b["regions"][0]["text"].startswith("襄城区:签约亿元以上省外项目2个"), b["regions"][0]["text"])
    x = s.get("/api/bulletins/2024-03?format=xlsx")
    eq(x.status, 200, "xlsx")
    check(x.header("Content-Disposition").startswith("attachment;"), "an attachment")
    z = zipfile.ZipFile(io.BytesIO(x.body))
    shared = z.read("xl/sharedStrings.xml").decode()
    check("襄城区" in shared and "通报批评、约谈" in shared, "the ranking table in the workbook")
    eq(s.get("/api/bulletins").json(), [], "nothing published yet")
    s.client("dc", "supervisor").request("POST", "/api/assessments/2024-03/publication")
    eq([x["month"] for x in s.get("/api/bulletins").json()], ["2024-03"], "the 公告 list")
    out = ctx.path("b.xlsx")
    ctx.run("bulletin", "--month", "2024-03", "--xlsx", out, check_rc=0)
    eq(ctx.run("bulletin", "--month", "2024-03", "--xlsx", out).rc, 1, "never overwrites")
    check("90.00" in ctx.run("bulletin", "--month", "2024-03", check_rc=0).out, "text form")


def test_briefing_from_records(ctx):
    ctx.demo()
    r = ctx.run("briefing", "--year", "2023", "--json", check_rc=0).json()
    for fig in ("1499个", "8851.55亿元", "已开工727个", "48.50%", "259个", "3720.56亿元", "571个",
                "25次", "750天", "866条"):
        check(fig in r["text"], f"{fig} in {r['text']}")
    s = ctx.serve()
    eq(s.get("/api/briefings/2023").json(), r, "API = CLI")


def test_progress_photos(ctx):
    ctx.init()
    s = ctx.serve(extra=("--evidence-dir", ctx.path("ev")))
    project(s, "MP-1", "襄城区", "12", "2024-01-05", major="是", registered_on="2024-02-01", started_on="2024-03-01")
    project(s, "MP-2", "襄城区", "2", "2024-01-05")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)

    def photo(code, month, data=png, name="现场.png"):
        q = urllib.parse.urlencode({"kind": "photo", "name": name})
        return s.request("POST", f"/api/projects/{code}/progress/{month}/evidence?{q}", data, raw=True,
                         headers={"Content-Type": "application/octet-stream"})

    eq(s.request("PUT", "/api/projects/MP-1/progress/2024-03", {"invested_wan": 3000}).status, 200, "entry")
    r = photo("MP-1", "2024-03")
    eq(r.status, 201, f"photo: {r!r}")
    pid = r.json()["id"]
    eq(r.json()["milestone"], "progress:2024-03", "kept with its month")
    eq([(e["month"], e["photos"]) for e in s.get("/api/projects/MP-1/progress").json()], [("2024-03", [pid])],
       "the entry lists its photo")
    eq(s.get(f"/api/evidence/{pid}").status, 200, "downloadable")
    eq(photo("MP-2", "2024-03").status, 409, "major projects only")
    eq(photo("MP-1", "2031-01").json()["error"]["field"], "month", "a month not begun")
    eq(photo("MP-1", "2024-13").json()["error"]["field"], "month", "not a month")
    eq(photo("MP-1", "2024-03", data=b"<html>").status, 415, "by content")
    other = s.client("fc", "region", region="樊城区")
    eq(other.request("POST", "/api/projects/MP-1/progress/2024-03/evidence?kind=photo&name=a.png", png, raw=True,
                     headers={"Content-Type": "application/octet-stream"}).status, 403, "another region")
