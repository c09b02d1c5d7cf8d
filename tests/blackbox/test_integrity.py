"""No double counting: a referring unit's share of the amount in the
assessment, a second person's confirmation of outsized amounts, the first
reporter's claim on a company (首报首谈), and the data-quality page."""
import urllib.parse

from harness import check, eq


def project(code, region, amount, investor=None, signed="2023-06-10", **more):
    return dict({"code": code, "name": f"归属测试{code}", "investor": investor or f"归属投资{code}有限公司",
                 "investor_province": "广东", "region": region, "amount_yi": amount, "signed_on": signed}, **more)


def amounts(s):
    a = s.get("/api/assessments/2023-06").json()
    rows = {x["region"]: x for x in a["ranking"]}
    return ({k: (rows[k]["indicators"]["signed_count"], rows[k]["indicators"]["signed_amount"])
             for k in ("襄城区", "樊城区")}, rows)


def test_referral_shares_in_the_assessment(ctx):
    ctx.init()
    s = ctx.serve()
    for body in (project("AT-1", "襄城区", "10"), project("AT-2", "樊城区", "5"),
                 project("AT-3", "襄城区", "1.2345")):
        eq(s.request("POST", "/api/projects", body).status, 201, f"project {body['code']}")
    got, _ = amounts(s)
    eq(got, {"襄城区": (2, 112345), "樊城区": (1, 50000)}, "no referrals: all to the landing region")
    r = s.request("PUT", "/api/projects/AT-1/referral", {"kind": "region", "unit": "樊城区", "share": 30})
    eq(r.status, 200, f"referral: {r!r}")
    eq((r.json()["referral"]["unit"], r.json()["referral"]["share"]), ("樊城区", 30), "recorded")
    # 12,345万 × 33% = 4,073.85万: 4,074 to the referrer, 8,271 stay.
    eq(s.request("PUT", "/api/projects/AT-3/referral", {"kind": "region", "unit": "樊城区", "share": 33}).status,
       200, "a share that does not divide evenly")
    eq(s.request("PUT", "/api/projects/AT-2/referral",
                 {"kind": "department", "unit": "市发改委", "share": 25}).status, 200, "a department")
    got, rows = amounts(s)
    # 襄城区: 70,000 + 8,271; 樊城区: 37,500 + 30,000 + 4,074. Counts stay.
    eq(got, {"襄城区": (2, 78271), "樊城区": (1, 71574)}, "shares in the amount indicator, counts unchanged")
    eq(rows["樊城区"]["projects"]["signed_amount"], ["AT-1", "AT-2", "AT-3"], "drill-down shows the referred")
    # Bad referrals are refused with the field named.
    for body, field in (({"kind": "region", "unit": "襄城区", "share": 10}, "unit"),
                        ({"kind": "region", "unit": "樊城区", "share": 0}, "share"),
                        ({"kind": "region", "unit": "樊城区", "share": 101}, "share"),
                        ({"kind": "friend", "unit": "樊城区", "share": 10}, "kind"),
                        ({"kind": "department", "unit": "不存在的局", "share": 10}, "unit")):
        r = s.request("PUT", "/api/projects/AT-1/referral", body)
        eq((r.status, r.json()["error"]["field"]), (400, field), f"refused: {body}")
    region = s.client("xc", "region", region="襄城区")
    eq(region.request("PUT", "/api/projects/AT-1/referral", {"kind": "region", "unit": "樊城区", "share": 90})
       .status, 403, "a county cannot give itself shares")
    eq(s.request("DELETE", "/api/projects/AT-2/referral").status, 200, "removed")
    eq(s.request("DELETE", "/api/projects/AT-2/referral").status, 404, "once")
    eq(amounts(s)[0]["樊城区"], (1, 84074), "back to the landing region")
    eq([a for (a,) in ctx.sql("SELECT action FROM audit_log WHERE action LIKE 'project.referral%' ORDER BY id")],
       ["project.referral"] * 3 + ["project.referral_delete"], "audited")
    check('"unit":"樊城区"' in ctx.sql("SELECT new_value FROM audit_log WHERE action = 'project.referral' ORDER BY id")
          [0][0], "the trail names the unit")


def test_outsized_amounts_wait_for_a_second_person(ctx):
    ctx.init()
    s = ctx.serve()

    def headline():
        return s.get("/api/reports/headline?year=2023&as_of=2023-12-31").json()["out_of_province_100m"]["count"]

    eq(s.request("POST", "/api/projects", project("AM-1", "襄州区", "20")).status, 201, "an ordinary amount")
    eq(headline(), 1, "counted at once")
    r = s.request("POST", "/api/projects", project("AM-2", "襄州区", "60"))
    eq((r.status, r.json()["amount_pending"]), (201, True), "above 50亿: waits")
    eq(headline(), 1, "not counted yet")
    # Far above the investor's other projects (more than 5 times).
    inv = "倍数测试投资有限公司"
    eq(s.request("POST", "/api/projects", project("AM-3", "枣阳市", "1", investor=inv)).status, 201, "small one")
    r = s.request("POST", "/api/projects", project("AM-4", "枣阳市", "6", investor=inv))
    eq(r.json()["amount_pending"], True, "six times the investor's other project")
    eq(s.request("POST", "/api/projects", project("AM-5", "枣阳市", "4.5", investor=inv)).json()["amount_pending"],
       False, "under five times")
    # The one who entered it cannot confirm it; another bureau user can.
    r = s.request("POST", "/api/projects/AM-2/amount-confirmation")
    eq((r.status, r.json()["error"]["code"]), (403, "same_person"), "not the same person")
    other = s.client("zs2", "bureau")
    eq(other.request("POST", "/api/projects/AM-1/amount-confirmation").json()["error"]["code"], "not_pending",
       "nothing to confirm")
    r = other.request("POST", "/api/projects/AM-2/amount-confirmation")
    eq((r.status, r.json()["amount_pending"]), (200, False), f"confirmed: {r!r}")
    eq(headline(), 4, "counted once confirmed (with AM-3 and AM-5)")
    # A changed amount is checked again.
    r = s.request("PATCH", "/api/projects/AM-2", {"amount_yi": "70"})
    eq(r.json()["amount_pending"], True, "a new amount waits again")
    eq(ctx.sql("SELECT username, action FROM audit_log WHERE action = 'project.amount_confirm'"),
       [("zs2", "project.amount_confirm")], "audited")
    # An import is held to the same rule, row by row or in bulk.
    path = ctx.path("big.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("code,name,investor,investor_province,region,amount_yi,signed_on\n")
        for i in range(5100):
            f.write(f"B-{i:05d},批量{i}号,批量投资{i}有限公司,江苏,南漳县,{'80' if i == 7 else '2'},2023-05-01\n")
        # One investor's projects across the file: 6亿 is over 5 times its other
        # ones (1亿 each, later in the file); another's 4亿 against 1亿 is not.
        f.write("B-09000,倍数一号,批量倍数投资有限公司,江苏,南漳县,6,2023-05-01\n"
                "B-09001,倍数二号,批量倍数投资有限公司,江苏,南漳县,1,2023-05-01\n"
                "B-09002,倍数三号,批量倍数投资有限公司,江苏,南漳县,1,2023-05-01\n"
                "B-09003,倍数四号,批量四倍投资有限公司,江苏,南漳县,4,2023-05-01\n"
                "B-09004,倍数五号,批量四倍投资有限公司,江苏,南漳县,1,2023-05-01\n")
    big = ctx.new_db("big")
    ctx.run("init", db=big, check_rc=0)
    ctx.run("import", path, db=big, check_rc=0)
    eq(ctx.sql("SELECT code FROM projects WHERE amount_pending = 1 ORDER BY code", db=big),
       [("B-00007",), ("B-09000",)], "bulk import")


def test_first_reporter_holds_the_claim(ctx):
    ctx.init()
    s = ctx.serve()
    xc = s.client("xc", "region", region="襄城区")
    fc = s.client("fc", "region", region="樊城区")
    lead = {"company": "首报测试科技有限公司", "title": "新材料项目", "source_kind": "visit", "reported_on": "2025-05-01"}
    r = xc.request("POST", "/api/leads", dict(lead, region="襄城区"))
    eq(r.status, 201, f"first report: {r!r}")
    first = r.json()["id"]
    eq(xc.request("POST", "/api/leads", dict(lead, region="襄城区", title="二期")).status, 201, "the same unit")
    r = fc.request("POST", "/api/leads", dict(lead, region="樊城区"))
    eq((r.status, r.json()["error"]["code"], r.json()["error"]["field"]), (409, "claimed", "company"),
       "another county may not")
    check("襄城区" in r.json()["error"]["message"] and "2025-05-01" in r.json()["error"]["message"],
          r.json()["error"]["message"])
    eq(s.request("POST", "/api/leads", dict(lead, region="樊城区")).status, 201, "the bureau coordinates")
    # The claim ends when the claiming leads are lost, or after the period.
    for lid in [first] + [l["id"] for l in xc.get("/api/leads?region=襄城区").json()["items"] if l["id"] != first]:
        eq(xc.request("PATCH", f"/api/leads/{lid}", {"stage": "lost", "lost_reason": "企业放弃"}).status, 200, "lost")
    eq(fc.request("POST", "/api/leads", dict(lead, region="樊城区", reported_on="2025-06-01")).status, 201,
       "free again")
    ctx.run("config", "set", "leads.claim_days", "0", check_rc=0)
    eq(xc.request("POST", "/api/leads", dict(lead, region="襄城区", title="三期")).status, 201, "no claims at 0")


def test_quality_page(ctx):
    ctx.init()
    s = ctx.serve(extra=("--evidence-dir", ctx.path("ev")))
    eq(s.request("POST", "/api/projects", project("Q-1", "襄城区", "3", registered_on="2023-07-01")).status,
       201, "registered without evidence")
    eq(s.request("POST", "/api/projects", project("Q-2", "樊城区", "3", investor="归属投资Q-1有限公司",
                                                  name="归属测试Q-1")).status, 201, "a copy in another county")
    eq(s.request("POST", "/api/projects", project("Q-3", "樊城区", "70")).status, 201, "an outsized amount")
    eq(s.request("POST", "/api/leads", {"company": "闲置线索有限公司", "title": "x", "source_kind": "other",
                                        "region": "襄州区", "reported_on": "2025-01-02"}).status, 201, "an idle lead")
    q = s.get("/api/quality").json()
    rows = {x["region"]: x for x in q["regions"]}
    eq(len(q["regions"]), 13, "every county-level unit")
    eq({k: rows["襄城区"][k] for k in ("missing_evidence", "unverified", "suspected_duplicates", "amount_pending")},
       {"missing_evidence": 1, "unverified": 1, "suspected_duplicates": 1, "amount_pending": 0}, "襄城区")
    eq((rows["樊城区"]["suspected_duplicates"], rows["樊城区"]["amount_pending"]), (1, 1), "樊城区")
    eq(rows["襄州区"]["stale_leads"], 1, "the idle lead")
    eq((q["total"]["missing_evidence"], q["total"]["suspected_duplicates"]), (1, 2), "totals")
    # Evidence and verification clear their counts.
    qs = urllib.parse.urlencode({"kind": "licence", "name": "执照.pdf"})
    eq(s.request("POST", f"/api/projects/Q-1/milestones/registered/evidence?{qs}", b"%PDF-1.4\n%%EOF\n", raw=True,
                 headers={"Content-Type": "application/octet-stream"}).status, 201, "evidence")
    eq(s.get("/api/quality").json()["total"]["missing_evidence"], 0, "no longer missing")
    eq(s.get("/api/quality?unverified_days=3650").json()["total"]["unverified"], 0, "older than the window only")
    eq(s.get("/api/quality?unverified_days=-1").status, 400, "a bad window")
