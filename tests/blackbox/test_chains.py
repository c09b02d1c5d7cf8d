"""Chain maps 产业链图谱 and the heat map's layers."""
from harness import check, eq


def chain_id(s, name):
    return next(c["id"] for c in s.get("/api/chains").json() if c["name"] == name)


def test_chain_map_workspace(ctx):
    ctx.init()
    s = ctx.serve()
    cid = chain_id(s, "新能源汽车")
    m = s.get(f"/api/chains/{cid}/map").json()
    eq(([g["segment"] for g in m["segments"]], m["gaps"]), (["upstream", "midstream", "downstream"], 0), "empty map")
    r = s.request("POST", f"/api/chains/{cid}/nodes", {"segment": "upstream", "name": "正极材料"})
    eq(r.status, 201, f"node: {r!r}")
    node = r.json()["id"]
    n2 = s.request("POST", f"/api/chains/{cid}/nodes", {"segment": "midstream", "name": "电芯"}).json()["id"]
    eq(s.request("POST", f"/api/chains/{cid}/nodes", {"segment": "upstream", "name": "正极材料"}).status, 409,
       "one node per name")
    eq(s.request("POST", f"/api/chains/{cid}/nodes", {"segment": "sideways", "name": "x"}).json()["error"]["field"],
       "segment", "segment")
    eq(s.request("POST", f"/api/chains/{cid}/nodes/{node}/companies",
                 {"company": "襄阳本地材料有限公司", "role": "local"}).status, 200, "a local company")
    eq(s.request("POST", f"/api/chains/{cid}/nodes/{n2}/companies",
                 {"company": "宁德目标电池有限公司", "role": "target", "note": "重点对接"}).status, 200, "a target")
    eq(s.request("POST", f"/api/chains/{cid}/nodes/{n2}/companies", {"company": "x", "role": "friend"}).json()
       ["error"]["field"], "role", "role")
    other = chain_id(s, "生物医药")
    eq(s.request("POST", f"/api/chains/{other}/nodes/{n2}/companies", {"company": "x", "role": "local"}).status,
       404, "a node of another chain")
    # Leads and projects of the chain appear in its workspace.
    s.request("POST", "/api/leads", {"company": "宁德目标电池有限公司", "title": "电芯项目", "source_kind": "visit",
                                      "region": "襄州区", "chain": "新能源汽车", "reported_on": "2025-05-01"})
    r = s.request("POST", "/api/projects", {"code": "CHN-1", "name": "整车项目", "investor": "某汽车有限公司",
                                         "investor_province": "广东", "region": "襄州区", "amount_yi": "20",
                                         "signed_on": "2025-05-10", "registered_on": "2025-05-20",
                                         "started_on": "2025-06-01", "chain": "新能源汽车"})
    eq(r.status, 201, f"project: {r!r}")
    m = s.get(f"/api/chains/{cid}/map?year=2025").json()
    up = m["segments"][0]["nodes"][0]
    mid = m["segments"][1]["nodes"][0]
    eq((up["name"], up["gap"], [c["company"] for c in up["local"]]), ("正极材料", False, ["襄阳本地材料有限公司"]),
       "a node with a local company")
    eq((mid["gap"], [c["company"] for c in mid["targets"]], mid["targets"][0]["note"]),
       (True, ["宁德目标电池有限公司"], "重点对接"), "a gap with its target")
    eq(m["gaps"], 1, "gaps counted")
    eq((m["leads"]["new"], m["projects"]["count"], m["projects"]["amount_yi"], m["projects"]["started"]),
       (1, 1, "20.00", 1), "leads and projects of the chain")
    # Moving the target to local closes the gap; removing it opens it again.
    target = mid["targets"][0]["company_id"]
    s.request("POST", f"/api/chains/{cid}/nodes/{n2}/companies", {"company_id": target, "role": "local"})
    eq(s.get(f"/api/chains/{cid}/map").json()["gaps"], 0, "closed")
    eq(s.request("DELETE", f"/api/chains/{cid}/nodes/{n2}/companies/{target}").status, 200, "removed")
    eq(s.request("DELETE", f"/api/chains/{cid}/nodes/{n2}/companies/{target}").status, 404, "gone")
    eq(s.get(f"/api/chains/{cid}/map").json()["gaps"], 1, "open again")
    # A chain task force edits its own chain's map only; leaders read.
    ch = s.client("ch", "chain", chain="新能源汽车")
    eq(ch.request("POST", f"/api/chains/{cid}/nodes", {"segment": "downstream", "name": "充电桩"}).status, 201,
       "its own chain")
    eq(ch.request("POST", f"/api/chains/{other}/nodes", {"segment": "downstream", "name": "x"}).status, 403,
       "another chain")
    ld = s.client("ld", "leader")
    eq(ld.get(f"/api/chains/{cid}/map").status, 200, "leaders read")
    eq(ld.request("POST", f"/api/chains/{cid}/nodes", {"segment": "upstream", "name": "y"}).status, 403, "not write")
    eq(s.get("/api/chains/9999/map").status, 404, "unknown chain")
    actions = [a for (a,) in ctx.sql("SELECT action FROM audit_log WHERE entity = 'chain' ORDER BY id")]
    check(actions.count("chain.node_add") == 3 and "chain.company_remove" in actions, f"audited: {actions}")


def test_heat_map_layers(ctx):
    ctx.demo()
    s = ctx.serve()
    signed = s.get("/api/reports/origins?year=2023&as_of=2023-12-31").json()
    leads = s.get("/api/reports/origins?year=2023&as_of=2023-12-31&layer=leads").json()
    targets = s.get("/api/reports/origins?year=2023&layer=targets").json()
    eq((signed["layer"], leads["layer"], targets["layer"]), ("signed", "leads", "targets"), "layers")
    eq(leads["total"]["count"], 866 + 98, "every 2023 lead by its company's origin")
    n = ctx.sql("SELECT count(DISTINCT company_id) FROM chain_node_companies WHERE role = 'target'")[0][0]
    eq(targets["total"]["count"], n, "target companies on the chain maps")
    gd = next(x for x in leads["rows"] if x["province"] == "广东省")
    city = s.get("/api/reports/origins?year=2023&layer=leads&province=广东").json()
    eq(city["total"]["count"], gd["count"], "a province's cities add up")
    eq(s.get("/api/reports/origins?layer=rumours").json()["error"]["field"], "layer", "bad layer")
    m = s.get(f"/api/chains/{chain_id(s, '新能源汽车')}/map?year=2023").json()
    eq((sum(len(g["nodes"]) for g in m["segments"]), m["gaps"]), (9, 3), "the demo's map")
