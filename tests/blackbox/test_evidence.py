"""Evidence files: upload checked by content, durable storage, attachments only,
scopes, audit, orphan collection."""
import os
import time
import urllib.parse

from harness import check, eq
from test_api import raw_exchange

PROJECT = {
    "code": "EV-001", "name": "证据测试项目", "investor": "武汉证据科技有限公司",
    "investor_province": "湖北", "region": "襄城区", "amount_yi": "3",
    "signed_on": "2023-03-01", "registered_on": "2023-04-01",
}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n" + bytes(range(256))
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)
HTML = b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"


def upload(c, data, name, kind="licence", code="EV-001", ms="registered"):
    q = urllib.parse.urlencode({"kind": kind, "name": name})
    return c.request("POST", f"/api/projects/{code}/milestones/{ms}/evidence?{q}", data, raw=True,
                     headers={"Content-Type": "application/octet-stream"})


def start(ctx):
    ctx.init()
    evdir = ctx.path("evidence")
    s = ctx.serve(extra=("--evidence-dir", evdir))
    eq(s.request("POST", "/api/projects", PROJECT).status, 201, "project")
    return s, evdir


def test_upload_download_and_checks(ctx):
    s, evdir = start(ctx)
    r = upload(s, PDF, "营业执照.pdf")
    eq(r.status, 201, f"upload: {r!r}")
    e = r.json()
    eq((e["content_type"], e["size"], e["file_name"], e["uploaded_by"]),
       ("application/pdf", len(PDF), "营业执照.pdf", "tester"), "stored facts")
    files = os.listdir(evdir)
    eq(len(files), 1, f"one file: {files}")
    check(files[0].endswith(".pdf") and "营业执照" not in files[0] and len(files[0]) == 36,
          f"a generated name: {files}")
    with open(os.path.join(evdir, files[0]), "rb") as f:
        eq(f.read(), PDF, "bytes on disk")
    eq([x["id"] for x in s.get("/api/projects/EV-001/evidence").json()], [e["id"]], "listed")
    r = s.get(f"/api/evidence/{e['id']}")
    eq((r.status, r.body), (200, PDF), "downloaded")
    eq(r.header("Content-Type"), "application/pdf", "detected type")
    eq(r.header("X-Content-Type-Options"), "nosniff", "nosniff")
    disp = r.header("Content-Disposition")
    check(disp.startswith("attachment;") and
          "filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7.pdf" in disp, disp)
    audit = ctx.sql("SELECT action, entity_key FROM audit_log WHERE action = 'evidence.add'")
    eq(audit, [("evidence.add", "EV-001")], "audited")
    nv = ctx.sql("SELECT new_value FROM audit_log WHERE action = 'evidence.add'")[0][0]
    check(f'"id":{e["id"]}' in nv, f"the trail names the file: {nv}")

    # Refused: HTML disguised as PDF, a PNG named .pdf, an empty body,
    # a bad kind or milestone, a name that is only a path.
    r = upload(s, HTML, "licence.pdf")
    eq((r.status, r.json()["error"]["field"]), (415, "file"), "HTML named .pdf")
    r = upload(s, PNG, "licence.pdf")
    eq((r.status, r.json()["error"]["field"]), (415, "name"), "PNG named .pdf")
    eq(upload(s, b"", "a.pdf").status, 400, "empty")
    eq(upload(s, PDF, "a.pdf", kind="selfie").json()["error"]["field"], "kind", "kind")
    eq(upload(s, PDF, "a.pdf", ms="moonshot").status, 404, "milestone")
    eq(upload(s, PDF, "../").json()["error"]["field"], "name", "no name")
    eq(upload(s, PDF, "a.pdf", code="NOPE").status, 404, "project")
    # A path in the name is cut to its last part; nothing lands outside.
    r = upload(s, PNG, "../../../etc/照片.png", kind="photo")
    eq((r.status, r.json()["file_name"]), (201, "照片.png"), "last part only")
    eq(len(os.listdir(evdir)), 2, "only accepted files are kept")
    check(not os.path.exists(ctx.path("etc")), "nothing outside the folder")
    # Over the cap: refused before the body is read.
    big = PDF + bytes(20 * 1024 * 1024)
    head = (f"POST /api/projects/EV-001/milestones/registered/evidence?kind=other&name=big.pdf HTTP/1.1\r\n"
            f"Host: x\r\nCookie: zs_session={s.main.cookies['zs_session']}\r\n"
            f"X-CSRF-Token: {s.main.csrf}\r\nContent-Length: {len(big)}\r\n\r\n").encode()
    status, _ = raw_exchange(s.port, head, big)
    eq(status, 413, "20 MiB cap")
    eq(len(os.listdir(evdir)), 2, "nothing kept")
    eq(ctx.sql("SELECT count(*) FROM evidence"), [(2,)], "two rows")


def test_evidence_scope(ctx):
    s, evdir = start(ctx)
    e = upload(s, PDF, "licence.pdf").json()
    other = s.client("fc", "region", region="樊城区")
    eq(upload(other, PDF, "x.pdf").status, 403, "another region cannot upload")
    eq(other.get(f"/api/evidence/{e['id']}").status, 403, "nor download")
    eq(other.get("/api/projects/EV-001/evidence").status, 403, "nor list")
    own = s.client("xc", "region", region="襄城区")
    eq(upload(own, PDF, "y.pdf").status, 201, "its own region can")
    eq(own.get(f"/api/evidence/{e['id']}").status, 200, "and download")
    lead = s.client("ld", "leader")
    eq(upload(lead, PDF, "z.pdf").status, 403, "a leader reads only")
    eq(lead.get(f"/api/evidence/{e['id']}").status, 200, "reads")
    eq(s.main.request("POST", "/api/projects/EV-001/milestones/registered/evidence?kind=other&name=a.pdf",
                      PDF, raw=True, csrf=False).status, 403, "CSRF applies")


def test_orphans_are_collected(ctx):
    s, evdir = start(ctx)
    kept = upload(s, PDF, "licence.pdf").json()
    s.stop()
    stored = os.listdir(evdir)
    # A crash between the file and its row leaves files without rows.
    old = time.time() - 3600
    for n in ("0123456789abcdef0123456789abcdef.pdf", ".tmp-fedcba9876543210fedcba9876543210.png"):
        with open(os.path.join(evdir, n), "wb") as f:
            f.write(PDF)
        os.utime(os.path.join(evdir, n), (old, old))
    young = "00000000000000000000000000000000.pdf"
    with open(os.path.join(evdir, young), "wb") as f:
        f.write(PDF)
    s = ctx.serve(extra=("--evidence-dir", evdir))
    eq(sorted(os.listdir(evdir)), sorted(stored + [young]),
       "old orphans removed; the referenced file and a young one (maybe in flight) kept")
    eq(s.get(f"/api/evidence/{kept['id']}").body, PDF, "still served")
