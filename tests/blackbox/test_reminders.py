"""Reminders: the inbox of the responsible users and deliveries to a webhook
receiver on loopback, each item once, with a retry after a failure."""
import base64
import http.server
import socketserver
import json
import threading

from harness import check, eq

T0 = "2025-06-30T10:00:00+08:00"


class Receiver:
    """A webhook receiver on loopback: /hook answers 500 to its first
    `fail` requests, everything else 200; every request body is kept."""

    def __init__(self, fail):
        self.got, self.fail = [], fail
        outer = self

        class H(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = 200
                if self.path == "/hook" and outer.fail > 0:
                    outer.fail -= 1
                    status = 500
                else:
                    outer.got.append((self.path, json.loads(body)))
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *a):
                pass

        self.srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.port = self.srv.server_address[1]
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()

    def close(self):
        self.srv.shutdown()
        self.srv.server_close()


def test_reminders_once_with_retry(ctx):
    ctx.init()
    ctx.user("xc", "region", region="襄城区")
    ctx.user("adm", "admin")
    rx = Receiver(fail=2)
    try:
        s = ctx.serve(now=T0)
        for code, region in (("RM-1", "襄城区"), ("RM-2", "樊城区")):
            eq(s.request("POST", "/api/projects", {
                "code": code, "name": "提醒项目" + code, "investor": "某公司" + code, "investor_province": "广东",
                "region": region, "amount_yi": "2", "signed_on": "2025-04-10", "responsible": "xc"}).status,
               201, code)
        adm = s.client("adm")
        for kind, path in (("webhook", "/hook"), ("wecom", "/wecom")):
            eq(adm.request("POST", "/api/reminders/targets", {"kind": kind, "target": f"http://127.0.0.1:{rx.port}{path}",
                                                              "name": kind}).status, 201, kind)
        eq(adm.request("POST", "/api/reminders/targets", {"kind": "webhook", "target": "ftp://x"}).json()["error"]
           ["field"], "target", "http(s) only")
        eq(s.request("POST", "/api/reminders/targets", {"kind": "webhook", "target": "http://x"}).status, 403,
           "configuration is the administrator's")
        # First run: both register deadlines (due 2025-06-10) are overdue.
        r = ctx.run("remind", now=T0, check_rc=0)
        check("推送成功 2,失败 2" in r.out, r.out)
        eq(sorted(p for p, _ in rx.got), ["/wecom", "/wecom"], "the robot got both; the hook failed")
        body = rx.got[0][1]
        eq(body["msgtype"], "text", "the robot's format")
        check("逾期" in body["text"]["content"], body)
        dl = adm.get("/api/reminders/deliveries?status=pending").json()
        eq([(d["attempts"], d["last_error"]) for d in dl], [(1, "HTTP 500"), (1, "HTTP 500")], "failures visible")
        # Again at once: nothing is due; nothing is sent twice.
        ctx.run("remind", now=T0, check_rc=0)
        eq(len(rx.got), 2, "not yet retried, nothing repeated")
        # A minute later the retry delivers.
        r = ctx.run("remind", now="2025-06-30T10:01:01+08:00", check_rc=0)
        check("推送成功 2,失败 0" in r.out, r.out)
        eq(sorted(p for p, _ in rx.got), ["/hook", "/hook", "/wecom", "/wecom"], "each item once per target")
        items = sorted(b["item"] for p, b in rx.got if p == "/hook")
        eq(items, ["warn:RM-1:register:overdue", "warn:RM-2:register:overdue"], "the items")
        ctx.run("remind", now="2025-06-30T15:00:00+08:00", check_rc=0)
        eq(len(rx.got), 4, "and never again")
        eq(len(adm.get("/api/reminders/deliveries?status=sent").json()), 4, "all sent")
        # The inbox: the operator of 襄城区 gets its region's item, and the
        # other as its 责任人.
        xc = s.client("xc")
        inbox = xc.get("/api/inbox").json()
        eq(sorted(n["item"] for n in inbox), ["warn:RM-1:register:overdue", "warn:RM-2:register:overdue"],
           "region operator and 责任人")
        eq(xc.get("/api/inbox/unread").json(), {"unread": 2}, "two unread")
        eq(xc.request("POST", f"/api/inbox/{inbox[0]['id']}/read").status, 200, "read")
        check(xc.get("/api/inbox").json()[0]["read_at"], "marked read")
        eq(xc.get("/api/inbox/unread").json(), {"unread": 1}, "one left")
        eq(xc.request("POST", "/api/inbox/read-all").json(), {"read": 1}, "the rest read at once")
        eq(xc.get("/api/inbox/unread").json(), {"unread": 0}, "none left")
        check(all(n["read_at"] for n in xc.get("/api/inbox").json()), "all marked read")
        eq(len(s.get("/api/inbox").json()), 0, "nothing for others")
        eq(ctx.sql("SELECT count(*) FROM notifications"), [(2,)], "each item once per user")
    finally:
        rx.close()


class SmtpReceiver:
    """A minimal SMTP server on loopback: answers 451 to the first `fail`
    MAIL commands, keeps every message's envelope and raw data."""

    def __init__(self, fail):
        self.got, self.fail = [], fail
        outer = self

        class H(socketserver.StreamRequestHandler):
            def handle(self):
                self.wfile.write(b"220 test ESMTP\r\n")
                sender, rcpt = None, []
                while True:
                    line = self.rfile.readline()
                    if not line:
                        return
                    cmd = line.decode("ascii", "replace").strip()
                    verb = cmd.split(" ", 1)[0].split(":", 1)[0].upper()
                    if verb == "EHLO":
                        self.wfile.write(b"250-test\r\n250 8BITMIME\r\n")
                    elif verb == "HELO" or verb in ("RSET", "NOOP"):
                        self.wfile.write(b"250 OK\r\n")
                    elif verb == "MAIL":
                        if outer.fail > 0:
                            outer.fail -= 1
                            self.wfile.write(b"451 try again later\r\n")
                            continue
                        sender = cmd.split(":", 1)[1].strip()
                        self.wfile.write(b"250 OK\r\n")
                    elif verb == "RCPT":
                        rcpt.append(cmd.split(":", 1)[1].strip())
                        self.wfile.write(b"250 OK\r\n")
                    elif verb == "DATA":
                        self.wfile.write(b"354 go ahead\r\n")
                        data = b""
                        while not data.endswith(b"\r\n.\r\n"):
                            chunk = self.rfile.readline()
                            if not chunk:
                                return
                            data += chunk
                        outer.got.append((sender, rcpt, data[:-5]))
                        self.wfile.write(b"250 queued\r\n")
                    elif verb == "QUIT":
                        self.wfile.write(b"221 bye\r\n")
                        return
                    else:
                        self.wfile.write(b"502 not here\r\n")

        self.srv = socketserver.ThreadingTCPServer(("127.0.0.1", 0), H)
        self.srv.daemon_threads = True
        self.port = self.srv.server_address[1]
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()

    def close(self):
        self.srv.shutdown()
        self.srv.server_close()


def test_reminders_by_email(ctx):
    ctx.init()
    ctx.user("adm", "admin")
    rx = SmtpReceiver(fail=1)
    try:
        s = ctx.serve(now=T0)
        eq(s.request("POST", "/api/projects", {
            "code": "RM-9", "name": "邮件提醒项目", "investor": "某公司RM9", "investor_province": "广东",
            "region": "襄城区", "amount_yi": "2", "signed_on": "2025-04-10"}).status, 201, "project")
        adm = s.client("adm")
        eq(adm.request("POST", "/api/reminders/targets", {"kind": "email", "target": "ops@example.gov.cn",
                                                          "name": "值班邮箱"}).status, 201, "an e-mail target")
        # Not configured yet: the failure says so.
        ctx.run("remind", now=T0, check_rc=0)
        eq([d["last_error"] for d in adm.get("/api/reminders/deliveries?status=pending").json()],
           ["未配置 SMTP (meta smtp.url 与 smtp.from)"], "an unconfigured server is visible")
        eq(ctx.run("config", "set", "smtp.url", "http://x").rc, 2, "smtp:// only")
        eq(ctx.run("config", "set", "smtp.from", "nobody").rc, 2, "an address")
        ctx.run("config", "set", "smtp.url", f"smtp://user:secret@127.0.0.1:{rx.port}", check_rc=0)
        ctx.run("config", "set", "smtp.from", "zhaoshang@example.gov.cn", check_rc=0)
        r = ctx.run("config", "get", "smtp.url", check_rc=0)
        check("secret" not in r.out and "127.0.0.1" in r.out, f"the password is not shown: {r.out}")
        check("secret" not in str(ctx.sql("SELECT new_value FROM audit_log WHERE entity_key = 'smtp.url'")),
              "nor kept in the trail")
        # The server answers 451 once: retried a minute later, then delivered once.
        ctx.run("remind", now="2025-06-30T10:01:01+08:00", check_rc=0)
        eq(rx.got, [], "refused with 451")
        ctx.run("remind", now="2025-06-30T10:03:01+08:00", check_rc=0)
        eq(len(rx.got), 1, "delivered on the retry")
        sender, rcpt, data = rx.got[0]
        eq((sender, rcpt), ("<zhaoshang@example.gov.cn>", ["<ops@example.gov.cn>"]), "the envelope")
        head, body = data.split(b"\r\n\r\n", 1)
        check(b"Subject: =?UTF-8?B?" in head, head)
        subject = head.split(b"Subject: =?UTF-8?B?")[1].split(b"?=")[0]
        check("RM-9" in base64.b64decode(subject).decode(), subject)
        check("逾期" in body.decode("utf-8"), body)
        check(b"\n" not in data.replace(b"\r\n", b""), "no bare LF on the wire")
        ctx.run("remind", now="2025-06-30T12:00:00+08:00", check_rc=0)
        eq(len(rx.got), 1, "never twice")
        eq([d["target"] for d in adm.get("/api/reminders/deliveries?status=sent").json()], ["ops@example.gov.cn"],
           "shown as sent")
    finally:
        rx.close()
