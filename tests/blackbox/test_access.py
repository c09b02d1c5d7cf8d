"""Users, roles, region scopes, sessions, CSRF, lockout and the audit trail."""
import hashlib
import io
import os

import harness
from test_verification import credit_code
from harness import check, eq, password_for

PROJECT = {
    "code": "ACC-001", "name": "权限测试项目", "investor": "深圳权限科技有限公司",
    "investor_province": "广东", "investor_city": "深圳市", "region": "襄城区",
    "amount_yi": "12.5", "signed_on": "2023-03-01", "chain": "新能源汽车",
}


def err_code(r):
    return r.json()["error"]["code"]


def cookie_header(r):
    return next(v for k, v in r.headers if k.lower() == "set-cookie")


def test_login_logout_csrf_and_cookie(ctx):
    ctx.init()
    ctx.user("alice", "bureau")
    s = ctx.serve(login=False)
    anon = s.client()
    eq(anon.get("/api/health").status, 200, "health is public")
    r = anon.get("/api/projects")
    eq(r.status, 401, "no session")
    eq(err_code(r), "unauthenticated", "code")
    eq(anon.get("/api/reports/headline?year=2023").status, 401, "figures need a session too")
    r = anon.request("POST", "/api/session", {"username": "alice"})
    eq((r.status, r.json()["error"]["field"]), (400, "password"), "missing password names it")
    r = anon.request("POST", "/api/session", {"username": "alice", "password": "wrong"})
    eq((r.status, err_code(r)), (401, "login_failed"), "wrong password")
    r = anon.request("POST", "/api/session", {"username": "nobody", "password": "x"})
    eq(r.status, 401, "unknown user: the same answer")

    c = s.client()
    r = c.login("alice")
    eq(r.status, 200, f"login: {r!r}")
    body = r.json()
    eq((body["user"], body["role"], body["password_expired"]), ("alice", "bureau", False), "who")
    cookie = cookie_header(r)
    check(cookie.startswith("zs_session=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie,
          cookie)
    check("Secure" not in cookie, "plain HTTP: no Secure flag")
    token = c.cookies["zs_session"]
    eq(len(token), 32, "128-bit token")
    # Stored hashed only.
    rows = ctx.sql("SELECT token_hash FROM sessions")
    eq(rows, [(hashlib.sha256(token.encode()).hexdigest(),)], "the table holds the hash")

    eq(c.request("POST", "/api/projects", PROJECT, csrf=False).status, 403, "no CSRF token")
    r = c.request("POST", "/api/projects", PROJECT, headers={"X-CSRF-Token": "0" * 64})
    eq((r.status, err_code(r)), (403, "csrf_failed"), "wrong CSRF token")
    eq(ctx.sql("SELECT count(*) FROM projects"), [(0,)], "nothing written")
    eq(c.request("POST", "/api/projects", PROJECT).status, 201, "with the token")
    eq(c.get("/api/session").json()["csrf_token"], c.csrf, "the token again")

    # A new login is a new session; logout ends it for good.
    c2 = s.client("alice")
    check(c2.cookies["zs_session"] != token, "renewed at login")
    old = dict(c.cookies)
    eq(c.request("DELETE", "/api/session").status, 200, "logout")
    check("zs_session" not in c.cookies, "cookie cleared")
    r = c.request("GET", "/api/projects", headers={"Cookie": f"zs_session={old['zs_session']}"})
    eq(r.status, 401, "the old token is dead")
    eq(c2.get("/api/projects").status, 200, "the other session lives")


def test_https_behind_trusted_proxy(ctx):
    ctx.init()
    ctx.user("alice", "bureau")
    s = ctx.serve(login=False, extra=("--trusted-proxy", "127.0.0.1"))
    c = s.client()
    r = c.request("POST", "/api/session", {"username": "alice", "password": password_for("alice")},
                  headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.1.2.3"})
    eq(r.status, 200, f"login: {r!r}")
    cookie = cookie_header(r)
    check(cookie.startswith("__Host-zs_session=") and "; Secure" in cookie, cookie)
    rows = ctx.sql("SELECT address FROM audit_log WHERE action = 'login'")
    eq(rows, [("10.1.2.3",)], "client address from X-Forwarded-For of a trusted proxy")
    # From an untrusted peer the headers are ignored.
    s2 = ctx.serve(login=False)
    r = s2.client().request("POST", "/api/session",
                            {"username": "alice", "password": password_for("alice")},
                            headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.9.9.9"})
    check(cookie_header(r).startswith("zs_session="), "no __Host- without a trusted proxy")
    eq(ctx.sql("SELECT address FROM audit_log WHERE action = 'login' ORDER BY id")[-1],
       ("127.0.0.1",), "peer address")


def test_lockout_and_address_limit(ctx):
    ctx.init()
    ctx.user("bob", "bureau")
    s = ctx.serve(login=False, now="2025-06-30T09:00:00+08:00")
    c = s.client()
    for i in range(4):
        eq(c.login("bob", "Wrong-Password-1").status, 401, f"failure {i + 1}")
    r = c.login("bob", "Wrong-Password-1")
    eq((r.status, err_code(r)), (403, "account_locked"), "the fifth failure locks")
    r = c.login("bob")
    eq((r.status, err_code(r)), (403, "account_locked"), "locked even with the right password")
    actions = [a for (a,) in ctx.sql("SELECT action FROM audit_log WHERE entity_key = 'bob' ORDER BY id")]
    eq(actions.count("login_failed"), 5, f"failures audited: {actions}")
    check("lockout" in actions and "login_locked" in actions, f"lockout audited: {actions}")
    s.stop()
    # Fifteen minutes later the account opens again.
    s = ctx.serve(login=False, now="2025-06-30T09:14:00+08:00")
    eq(s.client().login("bob").status, 403, "still locked at 14 minutes")
    s = ctx.serve(login=False, now="2025-06-30T09:16:00+08:00")
    eq(s.client().login("bob").status, 200, "open after 15 minutes")

    # Per address: a configurable number of failures from one address.
    ctx.run("config", "set", "auth.address_failures", "3", check_rc=0)
    eq(ctx.run("config", "get", "auth.address_failures", check_rc=0).out.strip(), "3", "config get")
    eq(ctx.run("config", "set", "auth.address_failures", "0").rc, 2, "out of range")
    s = ctx.serve(login=False, now="2025-06-30T09:40:00+08:00")
    c = s.client()
    codes = [c.login(f"nobody{i}", "x").status for i in range(3)]
    eq(codes, [401, 401, 401], "unknown users")
    # Three failures from 127.0.0.1 in the window: even the right password waits.
    r = c.login("bob")
    eq((r.status, err_code(r)), (429, "too_many_attempts"), "the address is held back")


def test_session_timeouts(ctx):
    ctx.init()
    ctx.user("carol", "bureau")
    s = ctx.serve(login=False, now="2025-06-30T08:00:00+08:00")
    c = s.client("carol")
    cookie = {"Cookie": f"zs_session={c.cookies['zs_session']}"}
    s.stop()

    def status_at(t):
        srv = ctx.serve(login=False, now=t)
        st = srv.client().request("GET", "/api/session", headers=cookie).status
        srv.stop()
        return st

    eq(status_at("2025-06-30T08:29:00+08:00"), 200, "29 minutes idle")
    eq(status_at("2025-06-30T08:58:00+08:00"), 200, "idle time counts from the last request")
    eq(status_at("2025-06-30T09:29:00+08:00"), 401, "31 minutes idle")
    # Absolute limit: 12 hours after login, however active.
    s = ctx.serve(login=False, now="2025-06-30T08:00:00+08:00")
    c = s.client("carol")
    cookie = {"Cookie": f"zs_session={c.cookies['zs_session']}"}
    s.stop()
    h = hashlib.sha256(c.cookies["zs_session"].encode()).hexdigest()
    seen = ctx.sql(f"SELECT last_seen FROM sessions WHERE token_hash = '{h}'")[0][0]
    ctx.sql(f"UPDATE sessions SET last_seen = {seen + 12 * 3600 - 120} WHERE token_hash = '{h}'")
    eq(status_at("2025-06-30T19:59:00+08:00"), 200, "11 h 59 min after login")
    ctx.sql(f"UPDATE sessions SET last_seen = {seen + 12 * 3600 - 60} WHERE token_hash = '{h}'")
    eq(status_at("2025-06-30T20:01:00+08:00"), 401, "12 h after login")


def test_password_change_and_expiry(ctx):
    ctx.init()
    ctx.user("dave", "bureau")
    s = ctx.serve(login=False)
    c = s.client("dave")
    r = c.request("PUT", "/api/session/password", {"old_password": "nope", "new_password": "x"})
    eq((r.status, r.json()["error"]["field"]), (403, "old_password"), "wrong old password")
    r = c.request("PUT", "/api/session/password",
                  {"old_password": password_for("dave"), "new_password": "short1A!"})
    eq((r.status, r.json()["error"]["field"]), (400, "new_password"), "too short")
    r = c.request("PUT", "/api/session/password",
                  {"old_password": password_for("dave"), "new_password": "alllowercaseletters"})
    eq(r.status, 400, "one character class")
    new = "Brand-New-Secret-42"
    r = c.request("PUT", "/api/session/password", {"old_password": password_for("dave"), "new_password": new})
    eq(r.status, 200, f"changed: {r!r}")
    eq(s.client().login("dave").status, 401, "old password gone")
    eq(s.client().login("dave", new).status, 200, "new password works")
    # Passwords never reach the audit trail or the server's output.
    text = " ".join(str(v) for row in ctx.sql("SELECT * FROM audit_log") for v in row)
    check(new not in text and password_for("dave") not in text, "no password in the audit trail")
    s.stop()
    # 91 days later the password has expired: only the session routes work.
    s = ctx.serve(login=False, now="2025-09-30")
    c = s.client()
    r = c.login("dave", new)
    eq((r.status, r.json()["password_expired"]), (200, True), "expired, still logs in")
    r = c.get("/api/projects")
    eq((r.status, err_code(r)), (403, "password_expired"), "nothing else until changed")
    eq(c.request("PUT", "/api/session/password",
                 {"old_password": new, "new_password": "Another-Secret-43"}).status, 200, "change")
    eq(s.client().login("dave", "Another-Secret-43").json()["password_expired"], False, "fresh")


def project_in(ctx, region, code, chain="新能源汽车"):
    return dict(PROJECT, code=code, region=region, chain=chain)


def test_authorization_matrix(ctx):
    ctx.demo()
    s = ctx.serve()  # tester, a bureau user, prepares the data
    eq(s.request("POST", "/api/projects", project_in(ctx, "襄城区", "M-XC")).status, 201, "seed")
    eq(s.request("POST", "/api/projects", project_in(ctx, "樊城区", "M-FC", chain="生物医药")).status,
       201, "seed")
    users = {
        "admin": ("admin", None, None), "aud": ("auditor", None, None),
        "bur": ("bureau", None, None), "reg": ("region", "襄城区", None),
        "chn": ("chain", None, "新能源汽车"), "sup": ("supervisor", None, None),
        "lead": ("leader", None, None),
    }
    clients = {u: s.client("t" + u, role, region, chain) for u, (role, region, chain) in users.items()}
    csv_fc = ("code,name,investor,investor_province,region,amount_yi,signed_on\n"
              "M-IMP,导入项目,某公司,广东,樊城区,2,2023-05-01\n").encode()
    csv_xc = csv_fc.replace("樊城区".encode(), "襄城区".encode()).replace(b"M-IMP", b"M-IMP2")
    steps = [
        ("regions", lambda c: c.get("/api/regions"), dict(admin=200, aud=403, bur=200, reg=200, chn=200, sup=200, lead=200)),
        ("headline", lambda c: c.get("/api/reports/headline?year=2023"), dict(admin=403, aud=403, bur=200, reg=200, chn=200, sup=200, lead=200)),
        ("list", lambda c: c.get("/api/projects"), dict(admin=403, aud=403, bur=200, reg=200, chn=200, sup=200, lead=200)),
        ("list other region", lambda c: c.get("/api/projects?region=樊城区"), dict(admin=403, aud=403, bur=200, reg=403, chn=200, sup=200, lead=200)),
        ("own project", lambda c: c.get("/api/projects/M-XC"), dict(admin=403, aud=403, bur=200, reg=200, chn=200, sup=200, lead=200)),
        ("other project", lambda c: c.get("/api/projects/M-FC"), dict(admin=403, aud=403, bur=200, reg=403, chn=403, sup=200, lead=200)),
        ("history", lambda c: c.get("/api/projects/M-FC/history"), dict(admin=403, aud=403, bur=200, reg=403, chn=403, sup=200, lead=200)),
        ("warnings", lambda c: c.get("/api/warnings?as_of=2023-12-31"), dict(admin=403, aud=403, bur=200, reg=200, chn=200, sup=200, lead=200)),
        ("export", lambda c: c.get("/api/export?format=csv"), dict(admin=403, aud=403, bur=200, reg=200, chn=200, sup=200, lead=200)),
        ("create own", lambda c: c.request("POST", "/api/projects", project_in(ctx, "襄城区", "N-" + c.user)), dict(admin=403, aud=403, bur=201, reg=201, chn=403, sup=403, lead=403)),
        ("create other", lambda c: c.request("POST", "/api/projects", project_in(ctx, "樊城区", "O-" + c.user)), dict(admin=403, aud=403, bur=201, reg=403, chn=403, sup=403, lead=403)),
        ("update other", lambda c: c.request("PATCH", "/api/projects/M-FC", {"responsible": c.user}), dict(admin=403, aud=403, bur=200, reg=403, chn=403, sup=403, lead=403)),
        ("move own away", lambda c: c.request("PATCH", "/api/projects/M-XC", {"region": "樊城区"}), dict(reg=403)),
        ("import other", lambda c: c.request("POST", "/api/import", csv_fc, raw=True, headers={"Content-Type": "text/csv"}), dict(admin=403, aud=403, bur=200, reg=403, chn=403, sup=403, lead=403)),
        ("import own", lambda c: c.request("POST", "/api/import", csv_xc.replace(b"M-IMP2", ("I-" + c.user).encode()), raw=True, headers={"Content-Type": "text/csv"}), dict(admin=403, aud=403, bur=200, reg=200, chn=403, sup=403, lead=403)),
        ("audit", lambda c: c.get("/api/audit"), dict(admin=403, aud=200, bur=403, reg=403, chn=403, sup=403, lead=403)),
        ("audit verify", lambda c: c.get("/api/audit/verify"), dict(admin=403, aud=200, bur=403, reg=403, chn=403, sup=403, lead=403)),
    ]
    wrong = []
    for name, call, want in steps:
        for u, c in clients.items():
            if u not in want:
                continue
            r = call(c)
            if r.status != want[u]:
                wrong.append(f"{name} as {u}: {r.status} (want {want[u]}) {r.body[:120]!r}")
    check(not wrong, "\n".join(wrong))

    # What a scoped user sees is only its own.
    reg, chn = clients["reg"], clients["chn"]
    items = reg.get("/api/projects?limit=200&year=2023").json()["items"]
    check(items and {p["county"] for p in items} == {"襄城区"}, "region operator: its region only")
    items = chn.get("/api/projects?limit=200").json()["items"]
    check(items and {p["chain"] for p in items} == {"新能源汽车"}, "chain task force: its chain only")
    eq(chn.get("/api/projects?chain=生物医药").status, 403, "another chain")
    h = reg.get("/api/reports/headline?year=2023&as_of=2023-12-31").json()
    eq(h, clients["bur"].get("/api/reports/headline?year=2023&as_of=2023-12-31").json(),
       "city-wide figures stay visible")
    check(h["out_of_province_100m"]["count"] > 1499, "with every region's projects")
    w = reg.get("/api/warnings?as_of=2023-12-31&all=1").json()
    codes = {x["code"] for x in w}
    all_w = clients["bur"].get("/api/warnings?as_of=2023-12-31&all=1").json()
    check(0 < len(w) < len(all_w), "warnings narrowed")
    region_codes = {p["code"] for p in clients["bur"].get("/api/projects?region=襄城区&limit=200").json()["items"]}
    check(codes <= region_codes, "warnings of its region only")
    exported = reg.get("/api/export?format=csv").body.decode("utf-8")
    check("M-XC" in exported and "M-FC" not in exported, "export narrowed")
    r = reg.request("POST", "/api/import", csv_fc, raw=True, headers={"Content-Type": "text/csv"})
    check("无权" in r.body.decode("utf-8"), f"import error names the cause: {r.body[:300]!r}")
    eq(ctx.sql("SELECT count(*) FROM projects WHERE code = 'M-IMP'"), [(1,)], "only bureau's import")


def test_audit_trail_records_every_change(ctx):
    ctx.init()
    ctx.user("eve", "bureau")
    ctx.user("aud", "auditor")
    ctx.user("adm", "admin")
    s = ctx.serve(login=False)
    c = s.client("eve")
    eq(c.request("POST", "/api/projects", PROJECT).status, 201, "create")
    eq(c.request("PATCH", "/api/projects/ACC-001", {"amount_yi": "13"}).status, 200, "update")
    eq(c.request("PATCH", "/api/projects/ACC-001", {"amount_yi": "13"}).status, 200, "no change")
    eq(c.request("PUT", "/api/projects/ACC-001/milestones/registered", {"date": "2023-04-01"}).status,
       200, "milestone")
    rows = ctx.sql("SELECT username, address, action, entity, entity_key, old_value, new_value"
                   " FROM audit_log WHERE entity = 'project' ORDER BY id")
    eq([r[2] for r in rows], ["project.create", "project.update", "project.milestone"],
       "one row per change, none for a no-op")
    check(all(r[0] == "eve" and r[1] == "127.0.0.1" and r[4] == "ACC-001" for r in rows), str(rows))
    eq((rows[1][5], rows[1][6]), ('{"amount_yi":"12.5"}', '{"amount_yi":"13"}'), "old and new values")
    check('"investor":"深圳权限科技有限公司"' in rows[0][6] and rows[0][5] is None, "a creation's values")

    # An import writes one row per changed record, signed by the CLI's user.
    path = ctx.path("two.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("code,name,investor,investor_province,region,amount_yi,signed_on\n"
                "IMP-1,导入一,甲公司,广东,樊城区,2,2023-05-01\n"
                "IMP-2,导入二,乙公司,浙江,襄州区,3,2023-05-02\n"
                "ACC-001,权限测试项目,深圳权限科技有限公司,广东,襄城区,13,2023-03-01\n")
    r = ctx.run("--user", "eve", "import", path, check_rc=0)
    rows = ctx.sql("SELECT username, address, action, entity_key FROM audit_log"
                   " WHERE entity_key LIKE 'IMP-%' ORDER BY id")
    eq(rows, [("eve", "local", "project.create", "IMP-1"), ("eve", "local", "project.create", "IMP-2")],
       "import rows")
    r = ctx.run("import", path, check_rc=0)
    eq(ctx.sql("SELECT count(*) FROM audit_log WHERE username = 'cli' AND entity = 'project'"),
       [(0,)], "a re-import that changes nothing writes no audit row")
    # Project history for its readers, newest first.
    hist = c.get("/api/projects/ACC-001/history").json()["items"]
    eq([h["action"] for h in hist], ["project.milestone", "project.update", "project.create"],
       "history")
    eq((hist[1]["old"], hist[1]["new"]), ({"amount_yi": "12.5"}, {"amount_yi": "13"}),
       "values as JSON objects")

    # 三员分立: the admin cannot read the trail, the auditor can and verifies it.
    adm = s.client("adm")
    eq(adm.get("/api/audit").status, 403, "admin reads no audit content")
    r = ctx.run("--user", "adm", "audit", "list")
    eq(r.rc, 1, "admin: CLI refused too")
    aud = s.client("aud")
    page = aud.get("/api/audit?entity=project&key=ACC-001&order=asc").json()
    eq([x["action"] for x in page["items"]], ["project.create", "project.update", "project.milestone"],
       "auditor filters")
    v = aud.get("/api/audit/verify").json()
    eq((v["ok"], v["bad_id"]), (True, None), f"chain holds: {v}")
    r = ctx.run("--user", "aud", "audit", "verify", check_rc=0)
    check("完整" in r.out, r.out)
    # Every user-management action is audited too.
    ctx.run("user", "disable", "eve", check_rc=0)
    eq(ctx.sql("SELECT action, username FROM audit_log ORDER BY id DESC LIMIT 1"),
       [("user.disable", "cli")], "user change audited")
    eq(s.client().login("eve").status, 401, "disabled user cannot log in")


def guard_off(ctx, db):
    """Takes the database's guard off the audit table, as an intruder with the
    database's keys could."""
    if ctx.backend == "sqlite":
        ctx.sql("DROP TRIGGER audit_log_no_update", db=db)
        ctx.sql("DROP TRIGGER audit_log_no_delete", db=db)
    else:
        ctx.sql("ALTER TABLE audit_log DISABLE TRIGGER USER", db=db)


def small_trail(ctx, name):
    """A new database with a few audit rows and an auditor."""
    d = ctx.new_db(name)
    ctx.run("init", db=d, check_rc=0)
    ctx.user("aud", "auditor", db=d)
    for u in ("x1", "x2", "x3"):
        ctx.user(u, "leader", db=d)
    eq(ctx.run("--user", "aud", "audit", "verify", db=d).rc, 0, "intact")
    guard_off(ctx, d)
    return d


def verify(ctx, d):
    r = ctx.run("--user", "aud", "audit", "verify", db=d)
    check(r.rc == 1 and len(r.err.strip().splitlines()) == 1, f"verify fails in one line: {r!r}")
    return r.err


def test_audit_rows_cannot_change_and_tampering_is_found(ctx):
    ctx.init()
    ctx.user("aud", "auditor")
    for q in ("UPDATE audit_log SET username = 'x' WHERE id = 1", "DELETE FROM audit_log WHERE id = 1",
              "DELETE FROM audit_log"):
        try:
            ctx.sql(q)
        except Exception as e:  # noqa: BLE001
            check("append-only" in str(e), f"refused by the database itself: {e}")
        else:
            raise harness.Failure(f"{q} was allowed")
    eq(ctx.run("--user", "aud", "audit", "verify").rc, 0, "intact")

    d = small_trail(ctx, "altered")
    ctx.sql("UPDATE audit_log SET username = 'mallory' WHERE id = 3", db=d)
    err = verify(ctx, d)
    check("第 3 条" in err and "修改" in err, f"altered row: {err}")

    d = small_trail(ctx, "middle")
    ctx.sql("DELETE FROM audit_log WHERE id = 3", db=d)
    err = verify(ctx, d)
    check("缺少第 3 条" in err, f"removed row: {err}")

    d = small_trail(ctx, "swapped")
    ctx.sql("UPDATE audit_log SET id = 100 WHERE id = 3", db=d)
    ctx.sql("UPDATE audit_log SET id = 3 WHERE id = 4", db=d)
    ctx.sql("UPDATE audit_log SET id = 4 WHERE id = 100", db=d)
    err = verify(ctx, d)
    check("第 3 条" in err, f"reordered rows: {err}")

    d = small_trail(ctx, "tail")
    ctx.sql("DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)", db=d)
    err = verify(ctx, d)
    check("末尾" in err, f"removed tail: {err}")


def test_user_cli(ctx):
    ctx.init()
    r = ctx.run("user", "add", "boss", "--role", "admin", "--name", "张三", check_rc=0)
    pw = r.out.strip().split()[-1]
    check(len(pw) == 16, f"a generated password printed once: {r.out}")
    s = ctx.serve(login=False)
    eq(s.client().login("boss", pw).status, 200, "the printed password works")
    # Validation, one line each, nothing written.
    for args, msg in [
        (("user", "add", "x", "--role", "bureau"), "用户名"),
        (("user", "add", "op1", "--role", "region"), "--region"),
        (("user", "add", "op1", "--role", "region", "--region", "火星"), "未知的区域"),
        (("user", "add", "op1", "--role", "wizard"), "未知的角色"),
        (("user", "add", "boss", "--role", "admin"), "已存在"),
        (("user", "grant", "ghost", "--role", "leader"), "没有用户"),
    ]:
        r = ctx.run(*args)
        check(r.rc == 1 and msg in r.err and len(r.err.strip().splitlines()) == 1, f"{args}: {r!r}")
    r = ctx.run("user", "add", "weak", "--role", "leader", "--password-stdin", input=b"short\n")
    check(r.rc == 1 and "至少" in r.err, f"policy: {r!r}")
    eq(ctx.run("user", "add", "op1", "--role", "bureau", "--region", "襄城区").rc, 1, "region only for region")
    eq(ctx.run("user", "add").rc, 2, "usage")
    eq(ctx.sql("SELECT count(*) FROM users WHERE username IN ('x', 'op1', 'weak')"), [(0,)], "none made")
    # Only an admin (or the system account) manages users.
    ctx.user("lead", "leader")
    r = ctx.run("--user", "lead", "user", "add", "sneaky", "--role", "admin")
    check(r.rc == 1 and "无权" in r.err, f"leader cannot add users: {r!r}")
    ctx.run("--user", "boss", "user", "add", "op1", "--role", "region", "--region", "襄阳市/樊城区",
            "--password-stdin", input=(password_for("op1") + "\n").encode(), check_rc=0)
    users = {u["user"]: u for u in __import__("json").loads(ctx.run("user", "list", "--json", check_rc=0).out)}
    eq((users["op1"]["role"], users["op1"]["region"]), ("region", "湖北省/襄阳市/樊城区"), "scope")
    c = s.client("op1")
    eq(c.get("/api/projects").status, 200, "op1 works")
    ctx.run("--user", "boss", "user", "grant", "op1", "--role", "leader", check_rc=0)
    eq(c.get("/api/projects").status, 401, "a grant ends the user's sessions")
    ctx.run("user", "reset-password", "op1", "--password-stdin",
            input=b"Reset-Password-2025\n", check_rc=0)
    eq(s.client().login("op1").status, 401, "old password gone")
    eq(s.client().login("op1", "Reset-Password-2025").json()["role"], "leader", "new role, new password")
    ctx.run("user", "disable", "op1", check_rc=0)
    eq(s.client().login("op1", "Reset-Password-2025").status, 401, "disabled")
    ctx.run("user", "enable", "op1", check_rc=0)
    eq(s.client().login("op1", "Reset-Password-2025").status, 200, "enabled")
    eq(s.client().login("cli", "anything-at-all").status, 401, "the system account cannot log in")


def test_demo_users_log_in(ctx):
    d = ctx.new_db("demo2")
    ctx.run("init", db=d, check_rc=0)
    r = ctx.run("demo", db=d, check_rc=0)
    lines = [l.split() for l in r.out.splitlines() if l.startswith("  ")]
    creds = {l[0]: l[1] for l in lines}
    eq(sorted(creds), sorted(["admin", "auditor", "zhaoshang", "xiangcheng", "xinnengyuan",
                              "ducha", "lingdao"]), "one user per role")
    s = ctx.serve(db=d, login=False)
    roles = {u: s.client().login(u, p).json()["role"] for u, p in creds.items()}
    eq(roles["xiangcheng"], "region", "region operator")
    eq(roles["auditor"], "auditor", "auditor")
    eq(len(set(creds.values())), 7, "distinct random passwords")


def test_audit_covers_every_mutating_route_and_command(ctx):
    """Every state-changing route of the OpenAPI document and every CLI
    command that changes data writes audit rows with who, when, from where and
    what. A new mutating route without a case here fails this test."""
    ctx.init()
    s = ctx.serve(extra=("--evidence-dir", ctx.path("ev")))
    pdf = b"%PDF-1.4\n%%EOF\n"
    st = {}

    def keep(r, key="id"):
        if r.status == 201:
            st[key] = r.json()["id"]
        return r

    def inbox_read():
        ctx.sql("INSERT INTO notifications (username, item, title, body, created_at)"
                " VALUES ('tester', 'cov', 't', 'b', '2025-06-30T00:00:00Z')")
        nid = s.get("/api/inbox").json()[0]["id"]
        return s.request("POST", f"/api/inbox/{nid}/read")

    def inbox_read_all():
        ctx.sql("INSERT INTO notifications (username, item, title, body, created_at)"
                " VALUES ('tester', 'cov2', 't', 'b', '2025-06-30T00:00:00Z')")
        return s.request("POST", "/api/inbox/read-all")

    def problem_id():
        if "problem" not in st:
            keep(s.request("POST", "/api/projects/COV-M/problems", {
                "category": "land", "title": "覆盖问题", "deadline": "2025-12-31"}), "problem")
        return st["problem"]
    csv = ("code,name,investor,investor_province,region,amount_yi,signed_on\n"
           "COV-2,覆盖二,乙公司,浙江,襄州区,3,2023-05-02\n").encode()
    cases = {
        ("post", "/api/session"): (lambda: s.client().login("tester"), "login"),
        ("delete", "/api/session"): (lambda: s.client("tester").request("DELETE", "/api/session"), "logout"),
        ("put", "/api/session/password"): (lambda: s.client("tester").request(
            "PUT", "/api/session/password",
            {"old_password": password_for("tester"), "new_password": password_for("tester") + "x"}),
            "password.change"),
        ("post", "/api/projects"): (lambda: s.request("POST", "/api/projects", dict(PROJECT, code="COV-1")),
                                    "project.create"),
        ("patch", "/api/projects/{code}"): (lambda: s.request("PATCH", "/api/projects/COV-1", {"amount_yi": "2"}),
                                            "project.update"),
        ("put", "/api/projects/{code}/milestones/{milestone}"): (lambda: s.request(
            "PUT", "/api/projects/COV-1/milestones/registered", {"date": "2023-04-01"}), "project.milestone"),
        ("post", "/api/projects/{code}/milestones/{milestone}/evidence"): (lambda: s.request(
            "POST", "/api/projects/COV-1/milestones/registered/evidence?kind=licence&name=a.pdf", pdf,
            raw=True), "evidence.add"),
        ("post", "/api/projects/{code}/termination"): (lambda: s.request(
            "POST", "/api/projects/COV-1/termination", {"date": "2024-01-01", "reason": "撤资"}),
            "project.terminate"),
        ("post", "/api/import"): (lambda: s.request("POST", "/api/import", csv, raw=True), "project.create"),
        ("post", "/api/companies"): (lambda: keep(s.request("POST", "/api/companies", {"name": "覆盖企业"})),
                                     "company.create"),
        ("patch", "/api/companies/{id}"): (lambda: s.request("PATCH", f"/api/companies/{st['id']}",
                                                             {"city": "襄阳市"}), "company.update"),
        ("post", "/api/companies/{id}/contacts"): (lambda: keep(s.request(
            "POST", f"/api/companies/{st['id']}/contacts", {"name": "王"}), "contact"),
            "company.contact_add"),
        ("delete", "/api/companies/{id}/contacts/{contact}"): (lambda: s.request(
            "DELETE", f"/api/companies/{st['id']}/contacts/{st['contact']}"), "company.contact_delete"),
        ("post", "/api/campaigns"): (lambda: keep(s.request("POST", "/api/campaigns", {
            "name": "覆盖专题", "starts_on": "2025-01-01"}), "campaign"), "campaign.create"),
        ("post", "/api/events"): (lambda: keep(s.request("POST", "/api/events", {
            "name": "覆盖推介会", "held_on": "2025-05-01"}), "event"), "event.create"),
        ("patch", "/api/events/{id}"): (lambda: s.request("PATCH", f"/api/events/{st['event']}", {
            "name": "覆盖推介会", "held_on": "2025-05-02"}), "event.update"),
        ("post", "/api/trips"): (lambda: keep(s.request("POST", "/api/trips", {
            "leader_level": "city_main", "leader": "市长", "cities": "深圳", "starts_on": "2025-05-01",
            "ends_on": "2025-05-02"}), "trip"), "trip.create"),
        ("post", "/api/trips/{id}/visits"): (lambda: s.request("POST", f"/api/trips/{st['trip']}/visits", {
            "company": "覆盖拜访企业", "visited_on": "2025-05-01"}), "trip.visit"),
        ("post", "/api/teams"): (lambda: s.request("POST", "/api/teams", {
            "name": "驻覆盖小分队", "city": "北京", "members": 5, "starts_on": "2025-01-01"}), "team.create"),
        ("post", "/api/chains/{id}/nodes"): (lambda: keep(s.request("POST", "/api/chains/1/nodes", {
            "segment": "upstream", "name": "覆盖节点"}), "node"), "chain.node_add"),
        ("post", "/api/chains/{id}/nodes/{node}/companies"): (lambda: s.request(
            "POST", f"/api/chains/1/nodes/{st['node']}/companies", {"company": "覆盖企业", "role": "target"}),
            "chain.company_set"),
        ("delete", "/api/chains/{id}/nodes/{node}/companies/{company}"): (lambda: s.request(
            "DELETE", f"/api/chains/1/nodes/{st['node']}/companies/{st['id']}"), "chain.company_remove"),
        ("post", "/api/assessments/{month}/publication"): (lambda: s.client("cov_sup", "supervisor").request(
            "POST", "/api/assessments/2024-03/publication"), "assessment.publish"),
        ("post", "/api/assessments/{month}/objections"): (lambda: keep(s.request(
            "POST", "/api/assessments/2024-04/objections", {"region": "襄城区", "text": "异议"}), "objection"),
            "assessment.objection"),
        ("put", "/api/assessments/{month}/objections/{id}"): (lambda: s.client("cov_sup2", "supervisor").request(
            "PUT", f"/api/assessments/2024-04/objections/{st['objection']}", {"answer": "答复"}),
            "assessment.answer"),
        ("put", "/api/projects/{code}/progress/{month}"): (lambda: s.request(
            "PUT", "/api/projects/COV-M/progress/2025-06", {"invested_wan": 1, "cumulative_wan": 1}),
            "project.progress"),
        ("post", "/api/projects/{code}/progress/{month}/evidence"): (lambda: s.request(
            "POST", "/api/projects/COV-M/progress/2025-06/evidence?kind=photo&name=a.pdf", pdf, raw=True),
            "evidence.add"),
        ("put", "/api/projects/{code}/plan"): (lambda: s.request(
            "PUT", "/api/projects/COV-M/plan", {"planned_start_on": "2025-09-01"}), "project.plan"),
        ("post", "/api/projects/{code}/problems"): (lambda: keep(s.request("POST", "/api/projects/COV-M/problems", {
            "category": "land", "title": "覆盖问题", "deadline": "2025-12-31"}), "problem"), "problem.raise"),
        ("patch", "/api/problems/{id}"): (lambda: s.request("PATCH", f"/api/problems/{problem_id()}", {
            "status": "in_progress"}), "problem.update"),
        ("post", "/api/meetings"): (lambda: s.request("POST", "/api/meetings", {
            "name": "覆盖调度会", "held_on": "2025-06-30", "decisions": [{"problem": problem_id(), "text": "议定"}]}),
            "problem.decision"),
        ("post", "/api/reminders/targets"): (lambda: s.client("cov_adm", "admin").request(
            "POST", "/api/reminders/targets", {"kind": "webhook", "target": "http://127.0.0.1:9/x"}),
            "reminder.target_add"),
        ("post", "/api/inbox/{id}/read"): (lambda: inbox_read(), "inbox.read"),
        ("post", "/api/inbox/read-all"): (lambda: inbox_read_all(), "inbox.read_all"),
        ("post", "/api/leads"): (lambda: keep(s.request("POST", "/api/leads", {
            "company": "覆盖线索企业", "title": "覆盖意向", "source_kind": "other", "region": "襄城区"}), "lead"),
            "lead.create"),
        ("patch", "/api/leads/{id}"): (lambda: s.request("PATCH", f"/api/leads/{st['lead']}", {"amount_yi": "3"}),
                                       "lead.update"),
        ("post", "/api/leads/{id}/follow-ups"): (lambda: s.request(
            "POST", f"/api/leads/{st['lead']}/follow-ups", {"note": "回访"}), "lead.follow_up"),
        ("put", "/api/projects/{code}/milestones/{milestone}/verification"): (lambda: s.request(
            "PUT", "/api/projects/COV-1/milestones/registered/verification",
            {"reference": credit_code("91420600MA4F8K3L2")}), "milestone.verify"),
        ("delete", "/api/projects/{code}/milestones/{milestone}/verification"): (lambda: s.request(
            "DELETE", "/api/projects/COV-1/milestones/registered/verification"), "milestone.unverify"),
        ("put", "/api/projects/{code}/referral"): (lambda: s.request(
            "PUT", "/api/projects/COV-M/referral", {"kind": "region", "unit": "樊城区", "share": 20}),
            "project.referral"),
        ("delete", "/api/projects/{code}/referral"): (lambda: s.request("DELETE", "/api/projects/COV-M/referral"),
                                                      "project.referral_delete"),
        ("post", "/api/projects/{code}/amount-confirmation"): (lambda: s.client("cov_b2", "bureau").request(
            "POST", "/api/projects/COV-BIG/amount-confirmation"), "project.amount_confirm"),
        ("post", "/api/duplicates/scan"): (lambda: s.request("POST", "/api/duplicates/scan"), "duplicates.scan"),
        ("post", "/api/duplicates/distinct"): (lambda: s.request(
            "POST", "/api/duplicates/distinct", {"codes": ["COV-D1", "COV-D2"]}), "duplicates.distinct"),
        ("post", "/api/duplicates/merge"): (lambda: s.request(
            "POST", "/api/duplicates/merge", {"keep": "COV-D1", "merge": ["COV-D3"]}), "project.merge"),
        ("post", "/api/leads/{id}/conversion"): (lambda: s.request(
            "POST", f"/api/leads/{st['lead']}/conversion",
            {"code": "COV-L", "signed_on": "2025-06-30", "investor_province": "湖北"}), "lead.convert"),
    }
    eq(s.request("POST", "/api/projects", dict(PROJECT, code="COV-M", major="是")).status, 201, "a major project")
    for code, region in (("COV-D1", "襄城区"), ("COV-D2", "樊城区"), ("COV-D3", "襄州区")):
        eq(s.request("POST", "/api/projects", dict(PROJECT, code=code, name="覆盖重复项目", investor="覆盖重复投资有限公司",
                                                  region=region)).status, 201, "a suspected duplicate")
    eq(s.request("POST", "/api/projects", dict(PROJECT, code="COV-BIG", amount_yi="80")).json()["amount_pending"],
       True, "an amount waiting for confirmation")
    # Checks that write nothing, and so leave no audit row.
    read_only = {("post", "/api/duplicates/check")}
    before = ctx.sql("SELECT count(*) FROM audit_log")[0][0]
    eq(s.request("POST", "/api/duplicates/check", dict(PROJECT, code="COV-D4")).status, 200, "a check")
    eq(ctx.sql("SELECT count(*) FROM audit_log")[0][0], before, "a check writes nothing")
    spec = s.get("/api/openapi.json").json()
    routes = [(m, p) for p, ops in spec["paths"].items() for m in ops
              if m in ("post", "put", "patch", "delete") and (m, p) not in read_only]
    missing = [r for r in routes if r not in cases]
    check(not missing, f"mutating routes without an audit case: {missing}")
    for route in routes:
        call, action = cases[route]
        before = ctx.sql("SELECT count(*) FROM audit_log")[0][0]
        r = call()
        check(r.status in (200, 201), f"{route}: {r!r}")
        rows = ctx.sql(f"SELECT at, username, address, action FROM audit_log WHERE id > {before} ORDER BY id")
        check(any(a == action for (_, _, _, a) in rows), f"{route}: no {action} row in {rows}")
        for at, user, address, act in rows:
            if act == action:
                check(at and at.endswith("Z") and user and address == "127.0.0.1",
                      f"{route}: fields {rows}")
    # The command line: every command that changes data.
    path = ctx.path("c.csv")
    with open(path, "w", encoding="utf-8") as f:
        f.write("code,name,investor,investor_province,region,amount_yi,signed_on\n"
                "COV-3,覆盖三,丙公司,江苏,南漳县,4,2023-06-02\n")
    target = ctx.new_db("copy")
    for args, action in [
        (("import", path), "project.create"),
        (("user", "add", "covu", "--role", "leader"), "user.create"),
        (("user", "grant", "covu", "--role", "supervisor"), "user.grant"),
        (("user", "disable", "covu"), "user.disable"),
        (("user", "enable", "covu"), "user.enable"),
        (("user", "reset-password", "covu"), "user.reset_password"),
        (("config", "set", "auth.lockout_minutes", "20"), "config.set"),
    ]:
        before = ctx.sql("SELECT count(*) FROM audit_log")[0][0]
        ctx.run(*args, check_rc=0)
        rows = ctx.sql(f"SELECT username, address, action FROM audit_log WHERE id > {before}")
        check(("cli", "local", action) in rows, f"{args}: {rows}")
    ctx.run("migrate-data", "--from", ctx.db, "--to", target, check_rc=0)
    last = ctx.sql("SELECT username, action FROM audit_log ORDER BY id DESC LIMIT 1", db=target)
    eq(last, [("cli", "migrate-data")], "the copy is audited on the target")
    d = ctx.new_db("fresh")
    ctx.run("init", db=d, check_rc=0)
    ctx.run("demo", db=d, check_rc=0)
    eq(ctx.sql("SELECT action, count(*) FROM audit_log GROUP BY action ORDER BY action", db=d),
       [("demo.effort", 1), ("init", 1), ("project.create", 1913), ("user.create", 7)],
       "init and demo audited")
