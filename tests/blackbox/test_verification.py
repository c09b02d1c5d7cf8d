"""The verification gate: the city bureau verifies reported milestones against
evidence; with figures.verified_basis set, the figures and the assessment
count only verified milestones and say so ("basis")."""
import urllib.parse

from harness import check, eq

PROJECT = {
    "code": "VF-1", "name": "核验测试项目", "investor": "广州核验科技有限公司", "investor_province": "广东",
    "region": "襄城区", "amount_yi": "12", "signed_on": "2023-03-01", "registered_on": "2023-04-01",
    "started_on": "2023-06-01",
}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)
CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_code(body17):
    """A unified social credit code with its GB 32100 check character."""
    c = 31 - sum(CHARS.index(ch) * w for ch, w in zip(body17, WEIGHTS)) % 31
    return body17 + CHARS[0 if c == 31 else c]


def upload(s, ms, kind, data, name):
    q = urllib.parse.urlencode({"kind": kind, "name": name})
    r = s.request("POST", f"/api/projects/VF-1/milestones/{ms}/evidence?{q}", data, raw=True,
                  headers={"Content-Type": "application/octet-stream"})
    eq(r.status, 201, f"evidence: {r!r}")
    return r.json()["id"]


def started(s):
    h = s.get("/api/reports/headline?year=2023&as_of=2023-12-31").json()
    return h["basis"], h["out_of_province_100m"]["started"]


def timeline(s, ms):
    return next(t for t in s.get("/api/projects/VF-1").json()["timeline"] if t["milestone"] == ms)


def register_rate(s):
    a = s.get("/api/assessments/2023-05").json()
    return a["basis"], next(x for x in a["ranking"] if x["region"] == "襄城区")["indicators"]["register_rate"]


def test_gate_changes_figures_only_after_verification(ctx):
    ctx.init()
    s = ctx.serve(extra=("--evidence-dir", ctx.path("ev")))
    eq(s.request("POST", "/api/projects", PROJECT).status, 201, "project")
    eq(started(s), ("reported", 1), "reported basis: the reported start counts")
    eq(register_rate(s), ("reported", "100.00"), "registered on time, as reported")
    # The deployment switches to the verified basis.
    ctx.run("config", "set", "figures.verified_basis", "1", check_rc=0)
    eq(started(s), ("verified", 0), "an unverified start does not count")
    for path in ("/api/reports/origins?year=2023", "/api/reports/effort?year=2023", "/api/bulletins/2023-05",
                 "/api/briefings/2023"):
        eq(s.get(path).json()["basis"], "verified", f"{path} says its basis")
    eq(register_rate(s), ("verified", "0.00"), "an unverified registration is not done")
    bd = s.get("/api/reports/breakdown?by=region&year=2023&as_of=2023-12-31").json()
    eq((bd["basis"], bd["total"]["started"]), ("verified", 0), "the breakdown too")
    # Verifying needs the right evidence.
    r = s.request("PUT", "/api/projects/VF-1/milestones/started/verification", {})
    eq((r.status, r.json()["error"]["code"]), (409, "evidence_missing"), "no evidence yet")
    licence = upload(s, "registered", "licence", PDF, "执照.pdf")
    r = s.request("PUT", "/api/projects/VF-1/milestones/started/verification", {"evidence_id": licence})
    eq((r.status, r.json()["error"]["field"]), (400, "evidence_id"), "a licence does not prove a start")
    upload(s, "started", "photo", PNG, "现场.png")
    region = s.client("xc", "region", region="襄城区")
    eq(region.request("PUT", "/api/projects/VF-1/milestones/started/verification", {}).status, 403,
       "regions report, the bureau verifies")
    r = s.request("PUT", "/api/projects/VF-1/milestones/started/verification", {"note": "现场照片核实"})
    eq(r.status, 200, f"verified: {r!r}")
    eq(timeline(s, "started")["verified"], True, "shown on the timeline")
    eq(started(s), ("verified", 1), "the verified start counts")
    # 注册 needs a valid credit code of the new company.
    r = s.request("PUT", "/api/projects/VF-1/milestones/registered/verification", {"reference": "91420600MA4"})
    eq((r.status, r.json()["error"]["field"]), (400, "reference"), "an invalid credit code")
    bad = credit_code("91420600MA4F8K3L2")[:-1] + "0"
    if bad == credit_code("91420600MA4F8K3L2"):
        bad = bad[:-1] + "1"
    eq(s.request("PUT", "/api/projects/VF-1/milestones/registered/verification", {"reference": bad}).status, 400,
       "a wrong check character")
    r = s.request("PUT", "/api/projects/VF-1/milestones/registered/verification",
                  {"reference": credit_code("91420600MA4F8K3L2")})
    eq(r.status, 200, f"registration verified: {r!r}")
    eq(register_rate(s), ("verified", "100.00"), "now on time on the verified basis")
    # 入库 needs the national investment project code.
    eq(s.request("PATCH", "/api/projects/VF-1", {"included_on": "2023-07-15"}).status, 200, "included")
    upload(s, "included", "statistics", PDF, "入库确认.pdf")
    for code in ("2023-420600-36-03-01234", "2023/420600-36-03-012345", "2023-990600-36-03-012345",
                 "1999-420600-36-03-012345"):
        r = s.request("PUT", "/api/projects/VF-1/milestones/included/verification", {"reference": code})
        eq((r.status, r.json()["error"]["field"]), (400, "reference"), f"bad project code {code}")
    r = s.request("PUT", "/api/projects/VF-1/milestones/included/verification",
                  {"reference": "2023-420600-36-03-012345"})
    eq(r.status, 200, f"inclusion verified: {r!r}")
    # A changed date is reported again: its verification lapses.
    eq(s.request("PATCH", "/api/projects/VF-1", {"started_on": "2023-06-05"}).status, 200, "date changed")
    eq((timeline(s, "started")["verified"], timeline(s, "registered")["verified"]), (False, True),
       "only the changed milestone lapses")
    eq(started(s), ("verified", 0), "and stops counting")
    # Not reached milestones cannot be verified; withdrawal is recorded.
    r = s.request("PUT", "/api/projects/VF-1/milestones/producing/verification", {})
    eq((r.status, r.json()["error"]["code"]), (409, "not_reached"), "not reported yet")
    eq(s.request("PUT", "/api/projects/VF-1/milestones/signed/verification", {}).status, 404, "signing")
    eq(s.request("DELETE", "/api/projects/VF-1/milestones/registered/verification").status, 200, "withdrawn")
    eq(s.request("DELETE", "/api/projects/VF-1/milestones/registered/verification").status, 404, "once")
    eq(register_rate(s), ("verified", "0.00"), "back to unverified")
    v = s.get("/api/projects/VF-1/verifications").json()
    eq([(x["milestone"], x["withdrawn_at"] is not None) for x in v],
       [("started", False), ("registered", True), ("included", False)], "the verifications, withdrawn kept")
    eq(v[2]["reference"], "2023-420600-36-03-012345", "the project code recorded")
    check(all(isinstance(x["id"], int) for x in v) and len({x["id"] for x in v}) == 3, "each with its id")
    acts = [a for (a,) in ctx.sql("SELECT action FROM audit_log WHERE action LIKE 'milestone.%' ORDER BY id")]
    eq(acts, ["milestone.verify"] * 3 + ["milestone.unverify"], "audited")
    # Back to the reported basis: the contracts of the reports keep their meaning.
    ctx.run("config", "set", "figures.verified_basis", "0", check_rc=0)
    eq(started(s), ("reported", 1), "reported again")
    check(s.get("/api/assessments/2023-05").json()["basis"] == "reported", "assessment basis")
