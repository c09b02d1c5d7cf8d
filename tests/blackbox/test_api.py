"""The JSON API: projects, milestones, rule states, bad input, limits."""
import json
import socket

from harness import check, eq

BASE = {
    "code": "T-001", "name": "测试项目", "investor": "深圳测试科技有限公司",
    "investor_province": "广东", "investor_city": "深圳市", "region": "襄城区",
    "amount_yi": "12.5", "signed_on": "2023-01-31",
}


def make(s, **over):
    body = dict(BASE, **over)
    r = s.request("POST", "/api/projects", body)
    eq(r.status, 201, f"create {body['code']}: {r!r}")
    return r.json()


def raw_exchange(port, head, body):
    """Sends a raw request (the body may be cut short by the server) and returns
    the status and the body of the response."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as c:
        try:
            c.sendall(head)
            c.sendall(body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        data = b""
        try:
            while True:
                chunk = c.recv(65536)
                if not chunk:
                    break
                data += chunk
                if b"\r\n\r\n" in data:
                    hdr, _, rest = data.partition(b"\r\n\r\n")
                    n = [int(l.split(b":")[1]) for l in hdr.split(b"\r\n") if l.lower().startswith(b"content-length:")]
                    if n and len(rest) >= n[0]:
                        break
        except ConnectionResetError:
            pass
    hdr, _, rest = data.partition(b"\r\n\r\n")
    return int(hdr.split()[1]), rest


def err_field(r):
    return r.json()["error"]["field"]


def test_create_get_and_rule_states(ctx):
    ctx.init()
    s = ctx.serve(now="2023-03-16")
    p = make(s)
    eq(p["investor_province"], "广东省", "province normalised")
    eq((p["amount_yi"], p["amount_wan"]), ("12.5", 125000), "money")
    eq(p["stage"], "signed", "stage")
    rules = {x["rule"]: x for x in p["rules"]}
    # 2023-01-31 + 2 months = 2023-03-31; + 6 months = 2023-07-31.
    eq((rules["register"]["due"], rules["register"]["state"]), ("2023-03-31", "due_soon"), "register")
    eq((rules["start"]["due"], rules["start"]["state"]), ("2023-07-31", "pending"), "start")
    eq(rules["include"]["state"], None, "include not begun")
    eq([t["milestone"] for t in p["timeline"]],
       ["signed", "registered", "started", "included", "producing"], "timeline")
    g = s.get("/api/projects/T-001")
    eq(g.status, 200, "get")
    eq(g.json()["code"], "T-001", "code")
    eq(s.get("/api/projects/NOPE").status, 404, "unknown code")
    # Window edges: 15 days left is due_soon, 16 is pending, past due is overdue.
    for now, state in [("2023-03-15", "pending"), ("2023-03-16", "due_soon"),
                       ("2023-03-31", "due_soon"), ("2023-04-01", "overdue")]:
        w = ctx.run("warnings", "--as-of", now, "--json", "--all", check_rc=0).json()
        reg = [x for x in w if x["rule"] == "register"]
        eq(reg[0]["state"], state, f"register on {now}")


def test_milestones_done_late_and_exempt(ctx):
    ctx.init()
    s = ctx.serve(now="2023-12-31")
    make(s)
    make(s, code="T-002")
    make(s, code="T-003")
    r = s.request("PUT", "/api/projects/T-001/milestones/registered", {"date": "2023-03-31"})
    eq(r.status, 200, repr(r))
    eq({x["rule"]: x["state"] for x in r.json()["rules"]}["register"], "done", "on the due day")
    r = s.request("PUT", "/api/projects/T-002/milestones/registered", {"date": "2023-04-01"})
    eq({x["rule"]: x["state"] for x in r.json()["rules"]}["register"], "late_done", "a day late")
    r = s.request("PUT", "/api/projects/T-003/milestones/registered",
                  {"na": True, "reason": "现有企业扩建,不新设公司"})
    eq(r.status, 200, repr(r))
    j = r.json()
    eq((j["registered_on"], j["na_reason"]), ("不适用", "现有企业扩建,不新设公司"), "不适用")
    eq({x["rule"]: x["state"] for x in j["rules"]}["register"], "exempt", "exempt")
    # Started without registration is fine when registration is 不适用 ...
    r = s.request("PUT", "/api/projects/T-003/milestones/started", {"date": "2023-05-01"})
    eq(r.status, 200, repr(r))
    eq(r.json()["stage"], "started", "stage")
    # ... but not otherwise.
    make(s, code="T-004")
    r = s.request("PUT", "/api/projects/T-004/milestones/started", {"date": "2023-05-01"})
    eq((r.status, err_field(r)), (400, "started_on"), "needs registration")
    # Order: registered before signed is refused.
    r = s.request("PUT", "/api/projects/T-004/milestones/registered", {"date": "2023-01-01"})
    eq((r.status, err_field(r)), (400, "registered_on"), "before signing")
    # No future dates (today is 2023-12-31).
    r = s.request("PUT", "/api/projects/T-004/milestones/registered", {"date": "2024-01-01"})
    eq((r.status, err_field(r)), (400, "registered_on"), "future date")
    # 不适用 needs a reason.
    r = s.request("PUT", "/api/projects/T-004/milestones/registered", {"na": True})
    eq((r.status, err_field(r)), (400, "reason"), "na without reason")
    r = s.request("PUT", "/api/projects/T-004/milestones/nosuch", {"date": "2023-02-01"})
    eq(r.status, 404, "unknown milestone")
    # Clearing the 不适用 clears its reason.
    r = s.request("PUT", "/api/projects/T-003/milestones/registered", {"date": "2023-02-01"})
    eq((r.status, r.json()["na_reason"]), (200, None), repr(r))
    # A failed write leaves the project as it was.
    before = s.get("/api/projects/T-004").json()
    s.request("PUT", "/api/projects/T-004/milestones/registered", {"date": "2024-01-01"})
    eq(s.get("/api/projects/T-004").json(), before, "nothing half-written")
    # The list page writes every date (or 不适用) under the detail's keys.
    make(s, code="T-005")
    s.request("PUT", "/api/projects/T-005/milestones/registered", {"na": True, "reason": "扩建"})
    items = {x["code"]: x for x in s.get("/api/projects?limit=10").json()["items"]}
    for code in ("T-001", "T-002", "T-003", "T-004", "T-005"):
        d = s.get(f"/api/projects/{code}").json()
        for k in ("signed_on", "registered_on", "started_on", "included_on", "producing_on", "terminated_on"):
            eq(items[code][k], d[k], f"list page: {code} {k}")
    eq((items["T-005"]["registered_on"], items["T-003"]["started_on"]), ("不适用", "2023-05-01"), "list dates")


def test_termination(ctx):
    ctx.init()
    s = ctx.serve(now="2023-12-31")
    make(s)
    s.request("PUT", "/api/projects/T-001/milestones/registered", {"date": "2023-03-01"})
    r = s.request("POST", "/api/projects/T-001/termination", {"date": "2023-02-01", "reason": "x"})
    eq((r.status, err_field(r)), (400, "terminated_on"), "before a milestone")
    r = s.request("POST", "/api/projects/T-001/termination", {"date": "2023-09-01"})
    eq((r.status, err_field(r)), (400, "reason"), "needs a reason")
    r = s.request("POST", "/api/projects/T-001/termination", {"date": "2023-09-01", "reason": "投资方战略调整"})
    eq(r.status, 200, repr(r))
    j = r.json()
    eq((j["stage"], j["terminated_on"]), ("terminated", "2023-09-01"), "terminated")
    eq(s.get("/api/projects?limit=1").json()["items"][0]["terminated_on"], "2023-09-01", "in the list")
    check(all(x["state"] is None for x in j["rules"]), "no rule states")
    h = ctx.run("report", "headline", "--year", "2023", "--as-of", "2023-12-31", "--json", check_rc=0).json()
    eq(h["out_of_province_100m"]["count"], 0, "terminated counts nowhere")
    h = ctx.run("report", "headline", "--year", "2023", "--as-of", "2023-08-31", "--json", check_rc=0).json()
    eq(h["out_of_province_100m"]["count"], 1, "but counted before its termination")


def test_bad_input_names_the_field(ctx):
    ctx.init()
    s = ctx.serve()
    cases = [
        (dict(BASE, amount_yi=12.5), "amount_yi"),
        (dict(BASE, amount_yi="12.34567"), "amount_yi"),
        (dict(BASE, amount_yi="-1"), "amount_yi"),
        (dict(BASE, amount_yi="1e3"), "amount_yi"),
        (dict(BASE, region="火星区"), "region"),
        (dict(BASE, investor_province="火星"), "investor_province"),
        (dict(BASE, chain="不存在的链"), "chain"),
        (dict(BASE, channel="飞鸽传书"), "channel"),
        (dict(BASE, signed_on="2023-02-30"), "signed_on"),
        (dict(BASE, signed_on="2099-01-01"), "signed_on"),
        (dict(BASE, foreign_oriented="maybe"), "foreign_oriented"),
        (dict(BASE, investor_credit_code="91350100M000100Y44"), "investor_credit_code"),
        (dict(BASE, colour="red"), "colour"),
        ({k: v for k, v in BASE.items() if k != "name"}, "name"),
        (dict(BASE, name=""), "name"),
        (dict(BASE, name=["x"]), "name"),
        (dict(BASE, terminated_reason="x"), "terminated_on"),
    ]
    for body, field in cases:
        r = s.request("POST", "/api/projects", body)
        eq(r.status, 400, f"{field}: {r!r}")
        e = r.json()["error"]
        eq(e["field"], field, f"error names the field for {body}")
        check(e["message"] and e["code"], "message and code")
    eq(s.get("/api/projects?limit=500").json()["items"], [], "nothing was written")
    # Malformed bodies.
    r = s.request("POST", "/api/projects", b"{not json", raw=True)
    eq((r.status, r.json()["error"]["code"]), (400, "invalid_json"), "bad JSON")
    r = s.request("POST", "/api/projects", b'{"code":"a","code":"b"}', raw=True)
    eq(r.status, 400, "duplicate keys")
    r = s.request("POST", "/api/projects", b"[1]", raw=True)
    eq(r.status, 400, "not an object")
    r = s.request("POST", "/api/projects", b'{"name":"\xff\xfe"}', raw=True)
    eq(r.status, 400, "invalid UTF-8")
    big = b"{" + b" " * (2 << 20) + b"}"
    status, body = raw_exchange(s.port, b"POST /api/projects HTTP/1.1\r\nHost: x\r\n"
                                b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(big), big)
    eq((status, json.loads(body)["error"]["code"]), (413, "body_too_large"), "too large, declared")
    chunked = b"".join(b"%x\r\n%s\r\n" % (65536, b" " * 65536) for _ in range(20)) + b"0\r\n\r\n"
    status, body = raw_exchange(s.port, b"POST /api/projects HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", chunked)
    eq((status, json.loads(body)["error"]["code"]), (413, "body_too_large"), "too large, chunked")
    r = s.request("DELETE", "/api/projects")
    eq(r.status, 405, "method not allowed")
    eq(s.get("/api/nothing").status, 404, "unknown route")
    make(s)
    r = s.request("POST", "/api/projects", BASE)
    eq((r.status, err_field(r)), (409, "code"), "duplicate code")
    r = s.request("PATCH", "/api/projects/T-001", {"code": "OTHER"})
    eq((r.status, err_field(r)), (400, "code"), "code cannot change")
    r = s.request("PATCH", "/api/projects/NOPE", {"name": "x"})
    eq(r.status, 404, "patch unknown")


def test_duplicate_content_length_rejected(ctx):
    ctx.init()
    s = ctx.serve()
    body = b'{"code":"x"}'
    raw = (b"POST /api/projects HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           b"Content-Length: 12\r\nContent-Length: 12\r\nConnection: close\r\n\r\n" + body)
    with socket.create_connection(("127.0.0.1", s.port), timeout=10) as c:
        c.sendall(raw)
        data = b""
        while True:
            chunk = c.recv(65536)
            if not chunk:
                break
            data += chunk
    check(data.startswith(b"HTTP/1.1 400"), data[:200])


def test_update_semantics_and_flags(ctx):
    ctx.init()
    s = ctx.serve()
    make(s, chain="新能源汽车", responsible="张三", major=True)
    r = s.request("PATCH", "/api/projects/T-001", {"amount_yi": "20", "responsible": None})
    eq(r.status, 200, repr(r))
    j = r.json()
    eq((j["amount_yi"], j["responsible"], j["chain"], j["major"]), ("20", None, "新能源汽车", True),
       "given overwrite, null clears, absent keeps")
    eq(j["version"], 2, "version")
    r = s.request("PATCH", "/api/projects/T-001", {"amount_yi": "20"})
    eq(r.json()["version"], 2, "an unchanged write changes nothing")
    r = s.request("PATCH", "/api/projects/T-001", {"name": None})
    eq((r.status, err_field(r)), (400, "name"), "required fields cannot be cleared")
    # full-width input is normalised (NFKC) and trimmed
    r = s.request("PATCH", "/api/projects/T-001", {"name": "  新能源项目（一期）　", "amount_yi": "３.５"})
    eq((r.json()["name"], r.json()["amount_yi"]), ("新能源项目(一期)", "3.5"), "NFKC")


def test_list_filters_and_keyset_pages(ctx):
    ctx.demo()
    s = ctx.serve()
    full = s.get("/api/projects?limit=500&year=2023&region=襄城区&with_total=1").json()
    total = full["total"]
    check(total > 50, "enough rows")
    seen, after, pages = [], None, 0
    while True:
        q = "/api/projects?limit=37&year=2023&region=%E8%A5%84%E5%9F%8E%E5%8C%BA"
        if after:
            q += "&after=" + after
        r = s.get(q)
        eq(r.status, 200, repr(r))
        j = r.json()
        seen += [p["code"] for p in j["items"]]
        pages += 1
        after = j["next"]
        if not after:
            break
    eq(len(seen), total, "every row once")
    eq(len(set(seen)), total, "no duplicates")
    keys = []
    for code in seen[:80]:
        p = s.get("/api/projects/" + code).json()
        keys.append((p["signed_on"], p["county"], p["investor_province"] is not None))
        eq(p["county"], "襄城区", "region filter")
        check(p["signed_on"].startswith("2023"), "year filter")
    eq([k[0] for k in keys], sorted([k[0] for k in keys], reverse=True), "newest first")
    # amount sort ascending with bounds
    j = s.get("/api/projects?sort=amount&order=asc&amount_min=10&amount_max=20&limit=100").json()
    am = [p["amount_wan"] for p in j["items"]]
    check(am and all(100000 <= a <= 200000 for a in am), "amount bounds")
    eq(am, sorted(am), "ascending")
    # text search over code, name and investor
    j = s.get("/api/projects?q=%E9%BE%99%E8%9F%A0&limit=100").json()
    check(any("龙蟠" in p["investor"] for p in j["items"]), "search by investor")
    # state filter
    j = s.get("/api/projects?state=overdue&limit=20").json()
    check(len(j["items"]) > 0, "overdue projects exist")
    for p in j["items"]:
        d = s.get("/api/projects/" + p["code"]).json()
        check(any(x["state"] == "overdue" for x in d["rules"]), "state filter")
    for bad in ["limit=0", "limit=abc", "sort=colour", "stage=x", "state=x", "year=20x",
                "amount_min=-1", "after=zz", "region=火星", "order=up"]:
        r = s.get("/api/projects?" + bad)
        eq(r.status, 400, bad)
        eq(r.json()["error"]["field"], bad.split("=")[0], f"field for {bad}")


def test_keyset_pages_across_ties(ctx):
    # Pages of 3 through runs of equal sort values (one signing day, one
    # amount) that cross page boundaries, in both directions: every project
    # once, in the order of the unpaged list.
    ctx.init()
    s = ctx.serve()
    days = ["2024-05-03"] * 2 + ["2024-05-04"] * 7 + ["2024-05-05"] * 4
    for i, day in enumerate(days):
        amount = "2" if i % 3 else "5"
        make(s, code=f"K-{i:02d}", signed_on=day, amount_yi=amount)
    for order in ("sort=signed_on&order=desc", "sort=signed_on&order=asc", "sort=amount&order=desc",
                  "sort=amount&order=asc", "sort=updated_at&order=desc"):
        want = [p["code"] for p in s.get(f"/api/projects?limit=100&{order}").json()["items"]]
        eq(len(want), len(days), f"{order}: the unpaged list")
        got, after = [], None
        while True:
            q = f"/api/projects?limit=3&{order}" + ("&after=" + after if after else "")
            j = s.get(q).json()
            got += [p["code"] for p in j["items"]]
            after = j["next"]
            if not after:
                break
        eq(got, want, f"{order}: pages of 3")


def test_openapi_and_reference_data(ctx):
    ctx.init()
    s = ctx.serve()
    doc = s.get("/api/openapi.json").json()
    eq(doc["openapi"][:2], "3.", "OpenAPI 3")
    check("/api/projects/{code}" in doc["paths"], "paths")
    regions = s.get("/api/regions").json()
    eq(regions[0]["path"], "湖北省", "root")
    check(any(r["path"] == "湖北省/襄阳市/襄城区" for r in regions), "paths")
    eq(len(s.get("/api/chains").json()), 23, "chains")
    eq([r["key"] for r in s.get("/api/rules").json()["rules"]], ["register", "start", "include"], "rules")
    h = s.get("/api/health")
    eq(h.json()["status"], "ok", "health")
    eq(h.header("X-Content-Type-Options"), "nosniff", "security headers")


def test_two_servers_share_one_database(ctx):
    ctx.init()
    a = ctx.serve()
    b = ctx.serve()
    make(a)
    eq(b.get("/api/projects/T-001").status, 200, "a write through one is read through the other")
    # Replies cached by a (several times, to reach each of its threads) are not
    # served once b has written.
    for _ in range(6):
        eq(a.get("/api/projects/T-001").json()["amount_yi"], "12.5", "before")
        eq(a.get("/api/reports/headline?year=2023&as_of=2023-12-31").json()["out_of_province_100m"]["amount_yi"],
           "12.50", "headline before")
    r = b.request("PATCH", "/api/projects/T-001", {"amount_yi": "3"})
    eq(r.status, 200, repr(r))
    for _ in range(6):
        eq(a.get("/api/projects/T-001").json()["amount_yi"], "3", "and back")
        eq(a.get("/api/reports/headline?year=2023&as_of=2023-12-31").json()["out_of_province_100m"]["amount_yi"],
           "3.00", "headline after")
