"""Effort records: campaigns, events with follow-through, trips and visits,
stationed teams, and the effort report's contract."""
from harness import check, eq

DEMO_2023 = {"year": 2023,
             "trips": {"city_main": {"trips": 25, "companies": 52},
                       "city_deputy": {"trips": 42, "companies": 116},
                       "county": {"days": 750, "companies": 715, "major_projects": 72}},
             "stationed": {"teams": 7, "people": 300, "intentions": 866},
             "events": 43, "campaigns": 52, "targeted_projects": 98}


def contains(got, want, path="effort"):
    """Every key of want is in got with the same value (got may carry more)."""
    for k, v in want.items():
        check(k in got, f"{path}.{k} missing")
        if isinstance(v, dict):
            contains(got[k], v, f"{path}.{k}")
        else:
            eq(got[k], v, f"{path}.{k}")


def test_effort_contract_on_the_demo(ctx):
    ctx.demo()
    r = ctx.run("report", "effort", "--year", "2023", "--json", check_rc=0)
    contains(r.json(), DEMO_2023)
    s = ctx.serve()
    eq(s.get("/api/reports/effort?year=2023").json(), r.json(), "API = CLI")
    by_region = r.json()["county_trips_by_region"]
    eq([x["region"] for x in by_region][:2], ["襄城区", "樊城区"], "every county in the configured order")
    eq(sum(x["days"] for x in by_region), 750, "the counties' days add up")
    text = ctx.run("report", "effort", "--year", "2023", check_rc=0).out
    check("750 天" in text and "866 条" in text, text)
    teams = s.get("/api/teams").json()
    eq((len(teams), sum(t["members"] for t in teams), sum(t["intentions"] for t in teams)), (7, 300, 866),
       "teams add up")
    trips = s.get("/api/trips?year=2023&leader_level=city_main").json()
    eq(len(trips), 25, "city main leaders' trips")
    t = s.get(f"/api/trips/{trips[0]['id']}").json()
    eq(len(t["visit_list"]), t["visits"], "a trip's visits")
    eq(len(s.get("/api/campaigns").json()), 52, "campaigns")
    f = s.get("/api/reports/funnel?year=2023&by=team").json()
    eq(f["total"]["total"], 866 + 98, "the funnel counts every 2023 lead")


def test_records_and_follow_through(ctx):
    ctx.init()
    s = ctx.serve()
    eq(s.request("POST", "/api/campaigns", {"name": "春季攻势", "theme": "新能源", "starts_on": "2025-03-01"}).status,
       201, "campaign")
    r = s.request("POST", "/api/events", {"name": "深圳推介会", "type": "推介会", "city": "深圳",
                                           "held_on": "2025-03-10", "campaign": "春季攻势", "organiser": "市招商局"})
    eq(r.status, 201, f"event: {r!r}")
    ev = r.json()["id"]
    s.request("POST", "/api/events", {"name": "上海洽谈会", "held_on": "2025-04-10"})
    base = {"investor": "深圳重复科技有限公司", "investor_province": "广东", "region": "襄城区",
            "amount_yi": "5", "chain": "新能源汽车"}
    s.request("POST", "/api/projects", dict(base, code="E-1", name="电池项目", event="深圳推介会",
                                            signed_on="2025-03-10", registered_on="2025-04-01"))
    s.request("POST", "/api/projects", dict(base, code="E-2", name="电池项目(一期)", event="上海洽谈会",
                                            signed_on="2025-04-10"))
    s.request("POST", "/api/projects", dict(base, code="E-3", name="另一项目", investor="武汉别家有限公司",
                                            investor_province="湖北", event="深圳推介会", signed_on="2025-03-10"))
    d = s.get(f"/api/events/{ev}").json()
    eq((d["name"], d["campaign"], d["organiser"]), ("深圳推介会", "春季攻势", "市招商局"), "event")
    eq(sorted(p["code"] for p in d["projects"]), ["E-1", "E-3"], "its signings")
    ft = d["follow_through"]
    eq((ft["signed"], ft["amount_yi"], ft["registered"], ft["started"]), (2, "10.00", 1, 0), "follow-through")
    eq(d["repeat_signings"], [{"code": "E-1", "other_code": "E-2", "other_event": "上海洽谈会"}],
       "the same investor signing a similar project at another event is flagged")
    eq(s.get("/api/events/9999").status, 404, "unknown event")
    eq(s.request("POST", "/api/events", {"name": "深圳推介会", "held_on": "2025-03-10"}).status, 409, "unique name")
    eq(s.request("POST", "/api/events", {"name": "x", "held_on": "someday"}).json()["error"]["field"], "held_on",
       "bad date")
    # Trips and visits.
    r = s.request("POST", "/api/trips", {"leader_level": "county_main", "leader": "襄城区委书记",
                                          "region": "襄城区", "cities": "深圳、广州",
                                          "starts_on": "2025-05-06", "ends_on": "2025-05-08"})
    eq(r.status, 201, f"trip: {r!r}")
    trip = r.json()["id"]
    eq(s.request("POST", f"/api/trips/{trip}/visits", {"company": "深圳重复科技有限公司",
                                                        "visited_on": "2025-05-07", "project": "E-1"}).status,
       201, "visit")
    eq(s.request("POST", f"/api/trips/{trip}/visits", {"company": "甲", "visited_on": "2025-06-01"}).json()
       ["error"]["field"], "visited_on", "a visit within the trip")
    eq(s.request("POST", "/api/trips", {"leader_level": "county_main", "leader": "x", "cities": "x",
                                         "starts_on": "2025-05-06", "ends_on": "2025-05-08"}).json()
       ["error"]["field"], "region", "a county leader's trip names the county")
    eq(s.request("POST", "/api/trips", {"leader_level": "mayor", "leader": "x", "cities": "x",
                                         "starts_on": "2025-05-06", "ends_on": "2025-05-08"}).json()
       ["error"]["field"], "leader_level", "level")
    t = s.get(f"/api/trips/{trip}").json()
    eq((t["days"], t["visits"], t["visit_list"][0]["project"]), (3, 1, "E-1"), "trip detail")
    # A stationed team and its leads.
    eq(s.request("POST", "/api/teams", {"name": "驻深圳小分队", "city": "深圳", "members": 6,
                                         "starts_on": "2025-01-01"}).status, 201, "team")
    eq(s.request("POST", "/api/teams", {"name": "驻x", "city": "x", "members": 0,
                                         "starts_on": "2025-01-01"}).json()["error"]["field"], "members", "members")
    lead = {"company": "深圳意向有限公司", "title": "意向", "source_kind": "stationed_team",
            "team": "驻深圳小分队", "region": "襄城区", "reported_on": "2025-05-01"}
    eq(s.request("POST", "/api/leads", lead).status, 201, "a team's lead")
    eq(s.request("POST", "/api/leads", dict(lead, team="驻火星小分队")).json()["error"]["field"], "team", "team")
    e = s.get("/api/reports/effort?year=2025").json()
    contains(e, {"trips": {"county": {"days": 3, "companies": 1, "major_projects": 0}},
                 "stationed": {"teams": 1, "people": 6, "intentions": 1}, "events": 2, "campaigns": 1})
    eq(s.get("/api/teams").json()[0]["intentions"], 1, "the team's intentions")
    # Who may write: leaders read; a region operator records its own region's trips.
    lead_user = s.client("ld", "leader")
    eq(lead_user.get("/api/reports/effort?year=2025").status, 200, "leaders read")
    eq(lead_user.request("POST", "/api/campaigns", {"name": "x", "starts_on": "2025-01-01"}).status, 403, "not write")
    op = s.client("fc", "region", region="樊城区")
    eq(op.request("POST", "/api/trips", {"leader_level": "county_main", "leader": "x", "region": "襄城区",
                                          "cities": "x", "starts_on": "2025-05-06", "ends_on": "2025-05-06"}).status,
       403, "another county's trip")
    eq(op.request("POST", f"/api/trips/{trip}/visits", {"company": "乙", "visited_on": "2025-05-07"}).status,
       403, "another county's trip's visits")
