"""Leads 意向信息: report, follow up, lose or convert, stale flags, the funnel, scopes."""
from harness import check, eq

LEAD = {"company": "杭州意向科技有限公司", "company_province": "浙江", "company_city": "杭州市",
        "title": "新能源电池材料项目", "source_kind": "stationed_team", "source_name": "驻杭州招商小分队",
        "channel": "驻点招商", "chain": "新能源电池及储能", "region": "襄城区", "amount_yi": "8",
        "reported_on": "2025-03-01"}


def err(r):
    e = r.json()["error"]
    return r.status, e["code"], e["field"]


def test_lead_lifecycle_and_conversion(ctx):
    ctx.init()
    s = ctx.serve()
    r = s.request("POST", "/api/leads", LEAD)
    eq(r.status, 201, f"create: {r!r}")
    lead = r.json()
    eq((lead["stage"], lead["county"], lead["amount_yi"], lead["source_kind_name"], lead["reported_by"]),
       ("new", "襄城区", "8", "驻点小分队", "tester"), "facts")
    check(lead["stale"], "reported 2025-03-01, idle on 2025-06-30: stale")
    lid = lead["id"]
    # The company is the investor database's record: the same company again is reused.
    r2 = s.request("POST", "/api/leads", dict(LEAD, company="杭州意向科技有限公司 ", title="第二个意向"))
    eq(r2.json()["company_id"], lead["company_id"], "one company, one record")
    # Bad input names the field and writes nothing.
    for body, field in [({**LEAD, "source_kind": "rumour"}, "source_kind"), ({**LEAD, "region": "火星"}, "region"),
                        ({**LEAD, "amount_yi": 8}, "amount_yi"), ({**LEAD, "title": ""}, "title"),
                        ({**LEAD, "stage": "signed"}, "stage"), ({**LEAD, "reported_on": "2099-01-01"}, "reported_on"),
                        ({k: v for k, v in LEAD.items() if k != "company"}, "company"),
                        ({**LEAD, "credit_code": "123"}, "credit_code"), ({**LEAD, "colour": "red"}, "colour")]:
        eq(err(s.request("POST", "/api/leads", body))[2], field, f"field {field}")
    eq(ctx.sql("SELECT count(*) FROM leads"), [(2,)], "nothing half-written")

    # Follow-ups move it on and keep a dated log.
    r = s.request("POST", f"/api/leads/{lid}/follow-ups", {"date": "2025-06-20", "note": "电话沟通,对方有意考察"})
    eq((r.status, r.json()["stage"], r.json()["last_activity"], r.json()["stale"]),
       (200, "following", "2025-06-20", False), "a follow-up")
    r = s.request("POST", f"/api/leads/{lid}/follow-ups",
                  {"date": "2025-06-28", "note": "赴襄考察", "stage": "negotiating"})
    eq([u["note"] for u in r.json()["follow_ups"]], ["赴襄考察", "电话沟通,对方有意考察"], "log, newest first")
    eq(err(s.request("POST", f"/api/leads/{lid}/follow-ups", {"date": "2025-07-01", "note": "x"}))[2],
       "date", "no future follow-up")
    eq(err(s.request("POST", f"/api/leads/{lid}/follow-ups", {"note": ""}))[2], "note", "note required")
    eq(err(s.request("PATCH", f"/api/leads/{lid}", {"stage": "lost"}))[2], "lost_reason", "lost needs a reason")

    # Conversion creates the project from the lead and links both ways.
    r = s.request("POST", f"/api/leads/{lid}/conversion", {"code": "LD-001", "signed_on": "2025-06-29"})
    eq(r.status, 201, f"convert: {r!r}")
    p = r.json()
    eq((p["code"], p["investor"], p["investor_province"], p["region"], p["amount_yi"], p["chain"], p["name"]),
       ("LD-001", "杭州意向科技有限公司", "浙江省", "襄城区", "8", "新能源电池及储能", "新能源电池材料项目"),
       "the project takes the lead's facts")
    l = s.get(f"/api/leads/{lid}").json()
    eq((l["stage"], l["project"]), ("signed", "LD-001"), "the lead keeps the link")
    eq(s.request("POST", f"/api/leads/{lid}/conversion", {"code": "LD-002", "signed_on": "2025-06-29"}).status,
       409, "converted once")
    eq(s.request("PATCH", f"/api/leads/{lid}", {"title": "x"}).status, 409, "a signed lead is closed")
    # A conversion that fails (a bad project field) leaves the lead open and no project.
    lid2 = r2.json()["id"]
    r = s.request("POST", f"/api/leads/{lid2}/conversion", {"code": "LD-003", "signed_on": "2099-01-01"})
    eq(r.status, 400, f"bad project: {r!r}")
    eq(s.get(f"/api/leads/{lid2}").json()["stage"], "new", "still open")
    eq(ctx.sql("SELECT count(*) FROM projects WHERE code = 'LD-003'"), [(0,)], "no project")
    # Losing one.
    r = s.request("PATCH", f"/api/leads/{lid2}", {"stage": "lost", "lost_reason": "选址外省"})
    eq((r.status, r.json()["stage"], r.json()["stale"]), (200, "lost", False), "lost, not stale")
    actions = [a for (a,) in ctx.sql("SELECT action FROM audit_log WHERE entity = 'lead' ORDER BY id")]
    eq(actions, ["lead.create", "lead.create", "lead.follow_up", "lead.follow_up", "lead.convert", "lead.update"],
       "every change audited")


def test_lists_stale_funnel_and_scopes(ctx):
    ctx.init()
    s = ctx.serve()
    seeds = [("襄城区", "stationed_team", "驻杭州招商小分队", "2025-06-25"),
             ("襄城区", "chamber", "浙江商会", "2025-04-01"),
             ("樊城区", "stationed_team", "驻杭州招商小分队", "2025-06-01"),
             ("樊城区", "investor", None, "2025-02-01")]
    ids = []
    for i, (region, kind, src, day) in enumerate(seeds):
        body = dict(LEAD, company=f"意向企业{i}", region=region, source_kind=kind, source_name=src,
                    reported_on=day, chain="新能源汽车" if i % 2 else "新能源电池及储能")
        ids.append(s.request("POST", "/api/leads", body).json()["id"])
    s.request("POST", f"/api/leads/{ids[0]}/conversion", {"code": "F-1", "signed_on": "2025-06-26"})
    s.request("PATCH", f"/api/leads/{ids[3]}", {"stage": "lost", "lost_reason": "无意向"})
    eq([x["id"] for x in s.get("/api/leads").json()["items"]], sorted(ids, reverse=True), "newest first")
    stale = s.get("/api/leads?stale=1").json()["items"]
    eq(sorted(x["id"] for x in stale), [ids[1]], "idle over 30 days and open")
    eq(len(s.get("/api/leads?region=樊城区").json()["items"]), 2, "by region")
    eq(len(s.get("/api/leads?source_kind=stationed_team").json()["items"]), 2, "by source")
    eq(len(s.get("/api/leads?q=意向企业2").json()["items"]), 1, "search")
    page = s.get("/api/leads?limit=3").json()
    rest = s.get(f"/api/leads?limit=3&after={page['next']}").json()
    eq(len(page["items"]) + len(rest["items"]), 4, "pages")
    f = s.get("/api/reports/funnel?year=2025&by=source").json()
    row = {x["key"]: x for x in f["rows"]}
    eq((row["stationed_team"]["total"], row["stationed_team"]["signed"], row["stationed_team"]["conversion_rate"]),
       (2, 1, "50.00"), "stationed teams")
    eq((row["investor"]["lost"], f["total"]["total"], f["total"]["signed"]), (1, 4, 1), "totals")
    team = {x["key"]: x["total"] for x in s.get("/api/reports/funnel?year=2025&by=team").json()["rows"]}
    eq(team["驻杭州招商小分队"], 2, "by team")
    chain = {x["key"]: x["total"] for x in s.get("/api/reports/funnel?year=2025&by=chain").json()["rows"]}
    eq((chain["新能源汽车"], chain["新能源电池及储能"]), (2, 2), "by chain, configured order")
    eq(s.get("/api/reports/funnel?by=colour").status, 400, "bad by")
    # Scopes: a region operator sees and writes its own region's leads only.
    op = s.client("xc", "region", region="襄城区")
    eq(len(op.get("/api/leads").json()["items"]), 2, "own region only")
    eq(op.get(f"/api/leads/{ids[2]}").status, 403, "another region's lead")
    eq(op.request("POST", "/api/leads", dict(LEAD, region="樊城区")).status, 403, "cannot report elsewhere")
    eq(op.request("POST", "/api/leads", LEAD).status, 201, "can in its own region")
    ch = s.client("ch", "chain", chain="新能源汽车")
    eq({x["chain"] for x in ch.get("/api/leads").json()["items"]}, {"新能源汽车"}, "its chain only")
    r = ch.request("POST", "/api/leads", dict(LEAD, chain=None, company="专班线索企业"))
    eq((r.status, r.json()["chain"]), (201, "新能源汽车"), "a task force's lead is on its chain")
    eq(ch.request("POST", f"/api/leads/{r.json()['id']}/conversion", {"code": "CH-1", "signed_on": "2025-06-29"}).status,
       403, "a task force does not sign projects")
    eq(s.client("ld", "leader").request("POST", "/api/leads", LEAD).status, 403, "leaders read only")
