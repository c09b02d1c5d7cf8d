"""The investor database 客商库: one company, one record."""
from harness import check, eq

def valid_code(body17):
    """The GB 32100 check character for 17 characters (the test's own copy of the rule)."""
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    total = sum(chars.index(c) * w for c, w in zip(body17, weights))
    return body17 + chars[(31 - total % 31) % 31]


GOOD = valid_code("91420600MA49K3T7X")
BAD_CHECK = GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1")


def err(r):
    e = r.json()["error"]
    return r.status, e["code"], e["field"]


def test_create_dedupe_and_validation(ctx):
    ctx.init()
    s = ctx.serve()
    r = s.request("POST", "/api/companies", {
        "name": "襄阳 比亚迪汽车有限公司", "credit_code": GOOD.lower(), "province": "广东",
        "city": "深圳市", "industry": "新能源汽车", "tags": ["上市公司", "行业龙头"]})
    eq(r.status, 201, f"create: {r!r}")
    c = r.json()
    eq((c["credit_code"], c["province"], c["tags"], c["version"]),
       (GOOD, "广东省", ["上市公司", "行业龙头"], 1), "normalised")
    cid = c["id"]
    # The same company again: by code, by name (full-width and stray spaces
    # normalised), never a second record.
    r = s.request("POST", "/api/companies", {"name": "另一个名字", "credit_code": GOOD})
    eq(err(r), (409, "duplicate", "credit_code"), "same code")
    eq(r.json()["existing_id"], cid, "names the existing record")
    r = s.request("POST", "/api/companies", {"name": "  襄阳 比亚迪汽车有限公司 "})
    eq((r.status, r.json()["existing_id"]), (409, cid), "same name after trimming")
    # Full-width forms fold under NFKC: the ideographic space and ＢＹＤ-style letters.
    r = s.request("POST", "/api/companies", {"name": "襄阳\u3000比亚迪汽车有限公司"})
    eq((r.status, r.json()["existing_id"]), (409, cid), "same name after NFKC")
    eq(ctx.sql("SELECT count(*) FROM companies WHERE credit_code = '%s'" % GOOD), [(1,)], "one record")
    # Credit codes: bad check character, wrong length, bad characters.
    for code in (BAD_CHECK, GOOD[:-1], "9142060OMA49K3T7X!"):
        eq(err(s.request("POST", "/api/companies", {"name": "某某公司" + code, "credit_code": code})),
           (400, "invalid_field", "credit_code"), f"credit code {code}")
    eq(err(s.request("POST", "/api/companies", {"name": "甲", "tags": ["独角兽"]})),
       (400, "invalid_field", "tags"), "unknown tag")
    eq(err(s.request("POST", "/api/companies", {"name": "甲", "tags": ["央企", "央企"]})),
       (400, "invalid_field", "tags"), "repeated tag")
    eq(err(s.request("POST", "/api/companies", {"name": "甲", "province": "火星"})),
       (400, "invalid_field", "province"), "province")
    eq(err(s.request("POST", "/api/companies", {"credit_code": GOOD})), (400, "invalid_field", "name"),
       "name required")
    eq(err(s.request("POST", "/api/companies", {"name": "甲", "rank": 1})),
       (400, "unknown_field", "rank"), "unknown field")
    eq(ctx.sql("SELECT count(*) FROM companies WHERE name = '甲'"), [(0,)], "nothing half-written")

    # Update: rename into another company refused; a no-op writes nothing.
    other = s.request("POST", "/api/companies", {"name": "武汉光谷科技有限公司"}).json()["id"]
    eq(err(s.request("PATCH", f"/api/companies/{other}", {"name": "襄阳 比亚迪汽车有限公司"})),
       (409, "duplicate", "name"), "rename into another")
    r = s.request("PATCH", f"/api/companies/{cid}", {"tags": ["上市公司", "行业龙头"], "industry": "新能源汽车"})
    eq((r.status, r.json()["version"]), (200, 1), "no change, no new version")
    r = s.request("PATCH", f"/api/companies/{cid}", {"tags": ["央企"], "notes": None, "city": "襄阳市"})
    eq((r.status, r.json()["version"], r.json()["tags"], r.json()["city"]), (200, 2, ["央企"], "襄阳市"), "update")
    hist = r.json()["history"]
    eq([h["action"] for h in hist], ["company.update", "company.create"], "history")
    eq((hist[0]["old"]["tags"], hist[0]["new"]["tags"]), ("上市公司,行业龙头", "央企"), "old and new")
    eq(s.get("/api/companies/99999").status, 404, "unknown company")


def test_contacts_projects_and_import_reuse(ctx):
    ctx.init()
    s = ctx.serve()
    cid = s.request("POST", "/api/companies", {"name": "深圳测试科技有限公司", "credit_code": GOOD}).json()["id"]
    r = s.request("POST", f"/api/companies/{cid}/contacts",
                  {"name": "张经理", "title": "投资总监", "phone": "+86 138-0000-0000", "email": "z@example.cn"})
    eq(r.status, 201, f"contact: {r!r}")
    kid = r.json()["id"]
    eq(err(s.request("POST", f"/api/companies/{cid}/contacts", {"name": "李", "phone": "abc"})),
       (400, "invalid_field", "phone"), "phone")
    eq(err(s.request("POST", f"/api/companies/{cid}/contacts", {"name": "李", "email": "nope"})),
       (400, "invalid_field", "email"), "email")
    eq(err(s.request("POST", f"/api/companies/{cid}/contacts", {"title": "x"})),
       (400, "invalid_field", "name"), "name")
    # A project import whose investor is written differently reuses the record.
    path = ctx.path("p.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("code,name,investor,investor_credit_code,investor_province,region,amount_yi,signed_on\n"
                f"CO-1,项目一,深圳测试科技有限公司 ,,广东,襄城区,2,2023-05-01\n"
                f"CO-2,项目二,深圳测试科技有限公司,{GOOD},广东,樊城区,3,2023-06-01\n")
    with open(path, "r+", encoding="utf-8") as f:
        text = f.read().replace("code,name,", "event,code,name,").replace("\nCO-1,", "\n,CO-1,") \
            .replace("\nCO-2,", "\n襄阳(深圳)推介会,CO-2,")
        f.seek(0)
        f.write(text)
    ctx.run("import", path, check_rc=0)
    eq(ctx.sql("SELECT count(*) FROM companies"), [(1,)], "no second record from the import")
    d = s.get(f"/api/companies/{cid}").json()
    eq(d["projects"], 2, "its projects counted")
    eq(sorted((p["code"], p["event"]) for p in d["project_list"]),
       [("CO-1", None), ("CO-2", "襄阳(深圳)推介会")], "its projects listed with the event signed at")
    eq([k["name"] for k in d["contacts"]], ["张经理"], "contacts")
    s.request("POST", "/api/leads", {"company_id": cid, "title": "二期意向", "source_kind": "visit",
                                      "region": "襄城区", "reported_on": "2025-06-01"})
    trip = s.request("POST", "/api/trips", {"leader_level": "city_main", "leader": "市长", "cities": "深圳",
                                             "starts_on": "2025-06-02", "ends_on": "2025-06-03"}).json()["id"]
    s.request("POST", f"/api/trips/{trip}/visits", {"company_id": cid, "visited_on": "2025-06-02",
                                                     "outcome": "商谈二期"})
    d = s.get(f"/api/companies/{cid}").json()
    eq(([x["title"] for x in d["leads"]], [v["outcome"] for v in d["visits"]]), (["二期意向"], ["商谈二期"]),
       "its history with us: leads and visits")
    # A region operator sees only its region's projects of the company.
    op = s.client("xc", "region", region="襄城区")
    eq([p["code"] for p in op.get(f"/api/companies/{cid}").json()["project_list"]], ["CO-1"], "scoped")
    eq(s.request("DELETE", f"/api/companies/{cid}/contacts/{kid}").status, 200, "delete contact")
    eq(s.request("DELETE", f"/api/companies/{cid}/contacts/{kid}").status, 404, "gone")
    eq(s.get(f"/api/companies/{cid}").json()["contacts"], [], "no contacts")


def test_list_filters_pages_and_roles(ctx):
    ctx.init()
    s = ctx.serve()
    for i in range(7):
        tags = ["专精特新"] if i % 2 else []
        prov = "浙江" if i < 3 else "江苏"
        eq(s.request("POST", "/api/companies", {"name": f"测试企业{i:02d}有限公司", "tags": tags,
                                                 "province": prov}).status, 201, "seed")
    names = []
    after = None
    while True:
        r = s.get("/api/companies?limit=3" + (f"&after={after}" if after else "")).json()
        names += [c["name"] for c in r["items"]]
        after = r["next"]
        if not after:
            break
    eq(names, sorted(names), "by name")
    eq(len(names), 7, "every company once across pages")
    eq(len(s.get("/api/companies?tag=专精特新").json()["items"]), 3, "by tag")
    eq(len(s.get("/api/companies?province=浙江省").json()["items"]), 3, "by province")
    eq([c["name"] for c in s.get("/api/companies?q=企业05").json()["items"]], ["测试企业05有限公司"], "search")
    s.request("PATCH", f"/api/companies/{s.get('/api/companies?q=企业03').json()['items'][0]['id']}",
              {"credit_code": GOOD})
    eq([c["name"] for c in s.get(f"/api/companies?q={GOOD}").json()["items"]], ["测试企业03有限公司"],
       "search by the exact credit code")
    eq(err(s.get("/api/companies?tag=独角兽")), (400, "invalid_parameter", "tag"), "bad tag")
    eq(err(s.get("/api/companies?after=abc")), (400, "invalid_parameter", "after"), "bad cursor")
    # Roles: leaders read, cannot write; the admin and the auditor see nothing.
    lead = s.client("ld", "leader")
    eq(lead.get("/api/companies").status, 200, "leader reads")
    eq(lead.request("POST", "/api/companies", {"name": "领导新建公司"}).status, 403, "leader cannot write")
    chain = s.client("ch", "chain", chain="新能源汽车")
    eq(chain.request("POST", "/api/companies", {"name": "专班新建公司"}).status, 201, "a task force can")
    for role in ("admin", "auditor"):
        eq(s.client("u" + role, role).get("/api/companies").status, 403, role)
