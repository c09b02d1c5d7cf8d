"""Problems 问题调度: raise, work, solve, confirm; escalation over time under
ZHAOSHANG_NOW; dispatch meetings; scopes."""
from harness import check, eq

PROJECT = {"code": "PB-1", "name": "问题项目", "investor": "某投资有限公司", "investor_province": "广东",
           "region": "襄城区", "amount_yi": "5", "signed_on": "2025-03-01"}


def test_problem_lifecycle(ctx):
    ctx.init()
    s = ctx.serve()
    eq(s.request("POST", "/api/projects", PROJECT).status, 201, "project")
    r = s.request("POST", "/api/projects/PB-1/problems", {
        "category": "land", "title": "用地指标未落实", "owner_department": "市自然资源和规划局",
        "deadline": "2025-07-10"})
    eq(r.status, 201, f"raise: {r!r}")
    q = r.json()
    eq((q["grade"], q["grade_name"], q["status"], q["owner_department"], q["category_name"]),
       ("county", "县级", "open", "市自然资源和规划局", "用地"), "raised")
    pid = q["id"]
    for body, field in [({"category": "luck", "title": "x", "deadline": "2025-07-10"}, "category"),
                        ({"category": "land", "title": "", "deadline": "2025-07-10"}, "title"),
                        ({"category": "land", "title": "x", "deadline": "2025-01-01"}, "deadline"),
                        ({"category": "land", "title": "x", "deadline": "2025-07-10", "grade": "emperor"}, "grade"),
                        ({"category": "land", "title": "x", "deadline": "2025-07-10", "owner_department": "天庭"},
                         "owner_department")]:
        eq(s.request("POST", "/api/projects/PB-1/problems", body).json()["error"]["field"], field, field)
    eq(s.request("PATCH", f"/api/problems/{pid}", {"status": "in_progress", "note": "已对接"}).status, 200, "working")
    eq(s.request("PATCH", f"/api/problems/{pid}", {"status": "open"}).status, 409, "no going back")
    eq(s.request("PATCH", f"/api/problems/{pid}", {"status": "solved"}).json()["status"], "solved", "solved")
    other = s.client("other", "bureau")
    eq(other.request("PATCH", f"/api/problems/{pid}", {"status": "confirmed"}).status, 403,
       "only whoever raised it confirms")
    r = s.request("PATCH", f"/api/problems/{pid}", {"status": "confirmed"})
    eq(r.json()["status"], "confirmed", "confirmed")
    eq([e["kind"] for e in r.json()["log"]], ["raised", "status", "status", "status"], "the log")
    eq([e["text"][:8] for e in r.json()["log"] if e["kind"] == "status"],
       ["状态改为 办理中", "状态改为 已解决", "状态改为 已确认"], "the log in words")
    op = s.client("fc", "region", region="樊城区")
    eq(op.get(f"/api/problems/{pid}").status, 403, "another region's problem")
    eq(op.request("POST", "/api/projects/PB-1/problems", {"category": "land", "title": "x",
                                                          "deadline": "2025-07-10"}).status, 403, "nor raise")
    eq(s.client("ld", "leader").request("POST", "/api/projects/PB-1/problems", {}).status, 403, "leaders read")


def test_escalation_over_time(ctx):
    ctx.init()
    ctx.run("config", "set", "auth.password_max_age_days", "0", check_rc=0)  # months pass here
    s = ctx.serve(now="2025-06-30")
    eq(s.request("POST", "/api/projects", PROJECT).status, 201, "project")
    pid = s.request("POST", "/api/projects/PB-1/problems", {"category": "approval", "title": "施工许可未批",
                                                              "deadline": "2025-07-10"}).json()["id"]
    s.stop()

    def at(day):
        srv = ctx.serve(now=day)
        q = srv.get(f"/api/problems/{pid}").json()
        srv.stop()
        return q

    q = at("2025-07-10")
    eq((q["grade"], q["escalations"], q["overdue"]), ("county", 0, False), "on the deadline: not yet")
    q = at("2025-07-11")
    eq((q["grade"], q["deadline"], q["escalations"]), ("department", "2025-07-25", 1), "one grade up, a new deadline")
    check("自动由县级升级为市直部门" in q["log"][-1]["text"], q["log"][-1]["text"])
    eq(q["log"][-1]["date"], "2025-07-11", "dated the day it became overdue")
    q = at("2025-07-11")
    eq(q["escalations"], 1, "once, however often it is read")
    # Weeks later it has climbed to the top and stays there.
    q = at("2025-09-30")
    eq((q["grade"], q["escalations"]), ("province", 3), "up to the provincial level, no further")
    eq([e["kind"] for e in q["log"]].count("escalated"), 3, "each step logged")
    r = ctx.run("escalate", now="2025-12-31", check_rc=0)
    check("0" in r.out, r.out)
    eq(ctx.sql("SELECT count(*) FROM audit_log WHERE action = 'problem.escalate'"), [(3,)], "audited")
    # A solved problem never escalates.
    s = ctx.serve(now="2025-10-01")
    p2 = s.request("POST", "/api/projects/PB-1/problems", {"category": "funding", "title": "融资",
                                                            "deadline": "2025-10-05"}).json()["id"]
    s.request("PATCH", f"/api/problems/{p2}", {"status": "solved"})
    s.stop()
    later = ctx.serve(now="2025-11-01")
    eq(later.get(f"/api/problems/{p2}").json()["grade"], "county", "solved in time, never escalated")
    eq([q["id"] for q in later.get("/api/problems?overdue=1").json()], [pid], "the overdue list")
    later.stop()
    # The escalated problem reaches the inbox of its region's operator.
    ctx.user("xcop", "region", region="襄城区")
    ctx.run("remind", now="2025-12-31", check_rc=0)
    s = ctx.serve(now="2025-12-31")
    inbox = [n for n in s.client("xcop").get("/api/inbox").json() if n["item"].startswith("problem:")]
    deadline = s.get(f"/api/problems/{pid}").json()["deadline"]
    eq([(n["item"], n["title"], n["body"]) for n in inbox],
       [(f"problem:{pid}:province", "【问题升级】PB-1 施工许可未批",
         f"项目 问题项目 的问题“施工许可未批”逾期未解决,已升级为省级,新期限 {deadline}。")],
       "the escalation in the operator's inbox")


def test_dispatch_meeting(ctx):
    ctx.init()
    s = ctx.serve()
    s.request("POST", "/api/projects", PROJECT)
    pid = s.request("POST", "/api/projects/PB-1/problems", {"category": "utilities", "title": "电力增容",
                                                             "deadline": "2025-07-20"}).json()["id"]
    r = s.request("POST", "/api/meetings", {"name": "6月重大项目调度会", "held_on": "2025-06-28", "chaired_by": "市长",
                                            "decisions": [{"problem": pid, "text": "供电公司7月15日前完成增容",
                                                           "grade": "city_leader", "deadline": "2025-07-15"}]})
    eq(r.status, 201, f"meeting: {r!r}")
    q = s.get(f"/api/problems/{pid}").json()
    eq((q["grade"], q["deadline"]), ("city_leader", "2025-07-15"), "the decision applied")
    d = q["log"][-1]
    eq((d["kind"], d["meeting"], d["text"]), ("decision", "6月重大项目调度会", "供电公司7月15日前完成增容"), "recorded")
    eq(s.get("/api/meetings").json()[0]["decisions"], 1, "the meeting's decisions")
    mid = s.get("/api/meetings").json()[0]["id"]
    m = s.get(f"/api/meetings/{mid}").json()
    eq((m["name"], m["chaired_by"], [(x["problem"], x["code"], x["text"], x["grade_name"]) for x in m["decisions"]]),
       ("6月重大项目调度会", "市长", [(pid, "PB-1", "供电公司7月15日前完成增容", "市领导")]), "the meeting in full")
    other = s.client("fc", "region", region="樊城区")
    eq([(x["code"], x["title"], x["visible"]) for x in other.get(f"/api/meetings/{mid}").json()["decisions"]],
       [(None, None, False)], "another region sees the decision, not the project")
    eq(s.get("/api/meetings/999").status, 404, "no such meeting")
    eq(s.request("POST", "/api/meetings", {"name": "x", "held_on": "2025-06-28",
                                           "decisions": [{"problem": 999, "text": "x"}]}).status, 400, "bad problem")
    eq(ctx.sql("SELECT count(*) FROM dispatch_meetings"), [(1,)], "nothing half-written")
