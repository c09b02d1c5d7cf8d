"""The demo's figures and the report/warnings contracts, from CLI and API."""
from harness import check, eq

ORDER = ["襄城区", "樊城区", "襄州区", "老河口市", "枣阳市", "宜城市", "南漳县", "谷城县",
         "保康县", "襄阳高新区", "襄阳经开区", "东津新区", "鱼梁洲经济开发区"]


def yi(wan):
    """Half-away-from-zero two-decimal 亿元 text of an integer 万元 sum."""
    q, r = divmod(wan, 100)
    if r >= 50:
        q += 1
    return f"{q // 100}.{q % 100:02d}"


def test_headline_2023_matches_the_article(ctx):
    ctx.demo()
    h = ctx.run("report", "headline", "--year", "2023", "--as-of", "2023-12-31", "--json",
                check_rc=0).json()
    eq(h["year"], 2023, "year")
    eq(h["as_of"], "2023-12-31", "as_of")
    o = h["out_of_province_100m"]
    eq((o["count"], o["amount_yi"], o["started"], o["conversion_rate"]),
       (1499, "8851.55", 727, "48.50"), "亿元以上省外")
    eq((h["event_signed"]["count"], h["event_signed"]["amount_yi"]), (259, "3720.56"), "平台活动")
    eq(h["foreign_oriented_100m"]["count"], 571, "外向型")
    eq([r["region"] for r in h["by_region"]], ORDER, "every county-level unit in order")
    eq(sum(r["count"] for r in h["by_region"]), 1499, "regions add up")
    eq(sum(r["started"] for r in h["by_region"]), 727, "started adds up")
    eq(sum(r["amount_wan"] for r in h["by_region"]), 88515500, "amounts add up")
    for r in h["by_region"]:
        eq(r["amount_yi"], yi(r["amount_wan"]), f"{r['region']} rounds its own sum")


def test_headline_first_half_and_later_as_of(ctx):
    ctx.demo()
    h = ctx.run("report", "headline", "--year", "2023", "--as-of", "2023-06-30", "--json",
                check_rc=0).json()
    eq((h["out_of_province_100m"]["count"], h["out_of_province_100m"]["amount_yi"]),
       (956, "5351.33"), "first half")
    eq(h["period"], {"from": "2023-01-01", "to": "2023-06-30"}, "period")
    # As of a later day the signings of 2023 are the same; more have started.
    h2 = ctx.run("report", "headline", "--year", "2023", "--as-of", "2024-12-31", "--json",
                 check_rc=0).json()
    eq(h2["out_of_province_100m"]["count"], 1499, "count as of 2024")
    check(h2["out_of_province_100m"]["started"] >= 727, "started grows")
    # Text form for people.
    t = ctx.run("report", "headline", "--year", "2023", "--as-of", "2023-12-31", check_rc=0)
    check("1499" in t.out and "8851.55" in t.out and "襄城区" in t.out, t.out[:400])


def test_headline_api_equals_cli(ctx):
    ctx.demo()
    s = ctx.serve()
    for q in ["year=2023&as_of=2023-12-31", "year=2023&as_of=2023-06-30", "year=2022&as_of=2022-12-31"]:
        r = s.get("/api/reports/headline?" + q)
        eq(r.status, 200, q)
        year, as_of = q.split("&")
        cli = ctx.run("report", "headline", "--year", year[5:], "--as-of", as_of[6:], "--json",
                      check_rc=0).json()
        eq(r.json(), cli, f"API and CLI agree for {q}")
    r = s.get("/api/reports/headline?year=2023&as_of=2022-01-01")
    eq(r.status, 400, "as_of before the year")
    eq(r.json()["error"]["field"], "as_of", "names the field")
    r = s.get("/api/reports/headline?year=2023&as_of=2023-02-29")
    eq(r.status, 400, "no such day")
    # default as_of is today (ZHAOSHANG_NOW) and the year its year
    r = s.get("/api/reports/headline").json()
    eq((r["year"], r["as_of"]), (2025, ctx.now), "defaults")


def test_warnings_contract(ctx):
    ctx.demo()
    for as_of in ["2023-06-30", "2023-12-31", "2024-03-15"]:
        w = ctx.run("warnings", "--as-of", as_of, "--json", check_rc=0).json()
        check(len(w) > 0, f"demo has warnings on {as_of}")
        check({x["state"] for x in w} <= {"due_soon", "overdue"}, "default states")
        a = ctx.run("warnings", "--as-of", as_of, "--json", "--all", check_rc=0).json()
        check(len(a) > len(w), "--all lists more")
        states = {x["state"] for x in a}
        check({"done", "overdue", "pending"} <= states, f"--all states {states}")
        order = {"register": 0, "start": 1, "include": 2}
        keys = [(x["due"], x["code"], order[x["rule"]]) for x in a]
        eq(keys, sorted(keys), "sorted by due, code, rule")
        eq([x for x in a if x["state"] in ("due_soon", "overdue")], w, "default is a subset")
        for x in w:
            check(set(["code", "rule", "due", "state"]) <= set(x), "fields")
            if x["state"] == "overdue":
                check(x["due"] < as_of, "overdue means due before as_of")
            else:
                check(as_of <= x["due"], "due_soon is not past")
    s = ctx.serve()
    cli = ctx.run("warnings", "--as-of", "2023-12-31", "--json", "--all", check_rc=0).json()
    eq(s.get("/api/warnings?as_of=2023-12-31&all=1").json(), cli, "API equals CLI")
    r = s.get("/api/warnings?as_of=yesterday")
    eq((r.status, r.json()["error"]["field"]), (400, "as_of"), "bad as_of")


def test_terminated_projects_count_nowhere(ctx):
    ctx.demo()
    s = ctx.serve()
    page = s.get("/api/projects?stage=terminated&limit=500").json()["items"]
    check(len(page) > 0, "the demo has terminated projects")
    w = ctx.run("warnings", "--as-of", "2024-06-30", "--json", "--all", check_rc=0).json()
    codes = {p["code"] for p in page}
    check(not any(x["code"] in codes for x in w), "no rule state after termination")


def test_breakdowns_add_up_to_the_headline(ctx):
    ctx.demo()
    h = ctx.run("report", "headline", "--year", "2023", "--as-of", "2023-12-31", "--json",
                check_rc=0).json()["out_of_province_100m"]
    s = ctx.serve()
    for by in ["region", "chain", "channel", "event", "month", "province"]:
        b = ctx.run("report", "breakdown", "--by", by, "--year", "2023", "--as-of", "2023-12-31",
                    "--json", check_rc=0).json()
        t = b["total"]
        eq((t["count"], t["amount_yi"], t["started"]), (h["count"], h["amount_yi"], h["started"]),
           f"{by} total")
        eq(sum(r["count"] for r in b["rows"]), h["count"], f"{by} rows add up")
        eq(sum(r["amount_wan"] for r in b["rows"]), 88515500, f"{by} amounts add up")
        for r in b["rows"]:
            eq(r["amount_yi"], yi(r["amount_wan"]), "each row rounds its own sum")
        eq(s.get(f"/api/reports/breakdown?by={by}&year=2023&as_of=2023-12-31").json(), b,
           f"API equals CLI for {by}")
        if by == "month":
            eq([r["key"] for r in b["rows"]], [f"2023-{m:02d}" for m in range(1, 13)], "12 months")
        if by == "region":
            eq([r["key"] for r in b["rows"]], ORDER, "regions in order")
        if by == "province":
            check("湖北省" not in [r["key"] for r in b["rows"]], "home province is not 省外")
    half = ctx.run("report", "breakdown", "--by", "month", "--year", "2023", "--as-of", "2023-06-30",
                   "--json", check_rc=0).json()
    eq(len(half["rows"]), 6, "months of the period only")
    eq(half["total"]["amount_yi"], "5351.33", "first half")
    eq(ctx.run("report", "breakdown", "--year", "2023").rc, 2, "--by is required")
    eq(ctx.run("report", "breakdown", "--by", "colour").rc, 2, "unknown dimension")
    r = s.get("/api/reports/breakdown?by=colour")
    eq((r.status, r.json()["error"]["field"]), (400, "by"), "API names the field")


def test_origins_add_up(ctx):
    ctx.demo()
    r = ctx.run("report", "origins", "--year", "2023", "--as-of", "2023-12-31", "--json", check_rc=0)
    o = r.json()
    rows = o["rows"]
    signed = ctx.sql("SELECT count(*), sum(amount_wan) FROM projects WHERE signed_on >= '2023-01-01'"
                     " AND signed_on <= '2023-12-31'"
                     " AND (terminated_on IS NULL OR terminated_on > '2023-12-31')")[0]
    eq((o["total"]["count"], o["total"]["amount_wan"]), tuple(signed), "every signing counted once")
    eq(sum(x["count"] for x in rows), o["total"]["count"], "rows add up")
    check(any(x["province"] == "湖北省" for x in rows), "local investors are there too")
    counts = [(-x["count"], -x["amount_wan"]) for x in rows]
    eq(counts, sorted(counts), "largest first")
    gd = next(x for x in rows if x["province"] == "广东省")
    c = ctx.run("report", "origins", "--year", "2023", "--as-of", "2023-12-31", "--province", "广东",
                "--json", check_rc=0).json()
    eq((c["province"], c["total"]["count"], c["total"]["amount_wan"]),
       ("广东省", gd["count"], gd["amount_wan"]), "a province's cities add up to it")
    check(all("city" in x for x in c["rows"]), "city rows")
    s = ctx.serve()
    eq(s.get("/api/reports/origins?year=2023&as_of=2023-12-31&province=广东省").json(), c, "API = CLI")
    r = s.get("/api/reports/origins?year=2023&province=火星")
    eq((r.status, r.json()["error"]["field"]), (400, "province"), "unknown province")
    eq(ctx.run("report", "origins", "--province", "火星").rc, 2, "CLI usage error")


def all_projects(s):
    """Every project of the list, page by page."""
    items, cursor = [], None
    while True:
        page = s.get("/api/projects?limit=200" + (f"&after={cursor}" if cursor else "")).json()
        items += page["items"]
        cursor = page["next"]
        if not cursor:
            return items


def recount(items, pending, year, as_of):
    """The headline's three figures counted from the list's rows (DOMAIN.md,
    Counting): signed in the year up to as_of, not terminated by as_of, the
    amount confirmed."""
    to = min(as_of, f"{year}-12-31")
    out, event, foreign = {}, [0, 0], 0
    for p in items:
        if not (f"{year}-01-01" <= p["signed_on"] <= to) or p["code"] in pending:
            continue
        if p["terminated_on"] and p["terminated_on"] <= as_of:
            continue
        big = p["amount_wan"] >= 10000
        if big and p["investor_province"] not in (None, "湖北省"):
            c = out.setdefault(p["county"], [0, 0, 0])
            started = p["started_on"] not in (None, "不适用") and p["started_on"] <= as_of
            c[0], c[1], c[2] = c[0] + 1, c[1] + p["amount_wan"], c[2] + started
        if p["event"]:
            event = [event[0] + 1, event[1] + p["amount_wan"]]
        if big and p["foreign_oriented"]:
            foreign += 1
    return out, event, foreign


def test_headline_recounts_from_the_records(ctx):
    """The headline's sums equal a count of the projects' own rows, with the
    cases that fall between its figures: an event signing under 1亿, a
    foreign-oriented project from inside the province, an amount waiting for
    confirmation, a termination before and after as_of, a start after it."""
    ctx.demo()
    s = ctx.serve()
    event = ctx.sql("SELECT name FROM events ORDER BY id")[0][0]
    extra = [
        dict(code="HC-1", region="宜城市", amount_yi="0.5", event=event),
        dict(code="HC-2", region="宜城市", amount_yi="3", investor_province="湖北",
             investor_city="武汉市", foreign_oriented=True),
        dict(code="HC-3", region="保康县", amount_yi="80", event=event, foreign_oriented=True),
        dict(code="HC-4", region="保康县", amount_yi="2", event=event),
        dict(code="HC-5", region="保康县", amount_yi="4", foreign_oriented=True),
        dict(code="HC-6", region="东津新区", amount_yi="7", registered_on="2023-07-01",
             started_on="2023-11-20"),
    ]
    for e in extra:
        body = dict({"name": f"核对{e['code']}", "investor": f"核对投资{e['code']}有限公司",
                     "investor_province": "广东", "signed_on": "2023-05-10"}, **e)
        r = s.request("POST", "/api/projects", body)
        eq(r.status, 201, f"create {e['code']}: {r!r}")
    for code, day in (("HC-4", "2023-06-15"), ("HC-5", "2023-09-15")):
        r = s.request("POST", f"/api/projects/{code}/termination", {"date": day, "reason": "核对"})
        eq(r.status, 200, f"terminate {code}: {r!r}")
    items = all_projects(s)
    pending = {c for (c,) in ctx.sql("SELECT code FROM projects WHERE amount_pending = 1")}
    eq(pending, {"HC-3"}, "only the 80亿 amount waits")
    for as_of in ("2023-06-30", "2023-08-31", "2023-12-31", "2024-03-15"):
        h = s.get(f"/api/reports/headline?year=2023&as_of={as_of}").json()
        out, event, foreign = recount(items, pending, 2023, as_of)
        got = {r["region"]: [r["count"], r["amount_wan"], r["started"]] for r in h["by_region"]}
        eq(got, {r: out.get(r, [0, 0, 0]) for r in ORDER}, f"by region as of {as_of}")
        o = h["out_of_province_100m"]
        eq([o["count"], o["amount_wan"], o["started"]],
           [sum(v[i] for v in out.values()) for i in range(3)], f"city total as of {as_of}")
        eq([h["event_signed"]["count"], h["event_signed"]["amount_wan"]], event, f"events as of {as_of}")
        eq(h["foreign_oriented_100m"]["count"], foreign, f"foreign-oriented as of {as_of}")
