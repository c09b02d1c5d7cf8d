"""Large replies: past 256 KiB a reply goes on in a temporary file under
$TMPDIR and is sent from it, so that the server's memory grows neither with a
reply's size nor with the clients still receiving one. The bytes are those the
command line gives for the same question; the file is closed once the reply is
sent; where no file can be made, the reply comes whole from memory. (A disk
that fills in the middle of a reply: tests/reliability/faults.py.)"""
import json
import os
import socket
import subprocess
import sys
import time

from harness import check, eq

SPILL = 256 * 1024


def _files_in(pid, folder):
    """The process's open files in folder (deleted ones included)."""
    n = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            n += os.readlink(f"/proc/{pid}/fd/{fd}").startswith(folder + os.sep)
        except OSError:
            pass
    return n


def _wait(cond, what, timeout=10):
    end = time.time() + timeout
    while not cond():
        if time.time() > end:
            check(False, f"timed out waiting for {what}")
        time.sleep(0.02)


def _slow_get(srv, path):
    """A client with a small receive window that has sent its GET and read
    only the reply's head: (socket, the bytes read so far)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.settimeout(30)
    s.connect(("127.0.0.1", srv.port))
    cookie = "; ".join(f"{k}={v}" for k, v in srv.main.cookies.items())
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n"
              "Connection: close\r\n\r\n".encode())
    return s, s.recv(1024)


def _read_reply(s, got):
    """The rest of a reply: (status, body)."""
    while b"\r\n\r\n" not in got:
        got += s.recv(65536)
    head, _, body = got.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = next(int(h.split(":", 1)[1]) for h in lines[1:] if h.lower().startswith("content-length:"))
    while len(body) < length:
        chunk = s.recv(65536)
        check(chunk, "the connection closed before the whole body")
        body += chunk
    return int(lines[0].split()[1]), body


def test_large_replies_go_through_a_file(ctx):
    ctx.demo()
    csv = ctx.run("export", "--format", "csv", check_rc=0).out.encode("utf-8")
    warnings = json.loads(ctx.run("warnings", "--all", "--json", check_rc=0).out)
    check(len(csv) > 1.5 * SPILL, f"the demo's export is {len(csv)} bytes, too small for this test")
    spill = ctx.path("spill")
    os.mkdir(spill)
    srv = ctx.serve(env={"TMPDIR": spill})
    r = srv.get("/api/export?format=csv")
    eq(r.status, 200, "export")
    eq(r.header("Content-Length"), str(len(csv)), "export's Content-Length")
    check(r.body == csv, "the export over HTTP differs from the command line's")
    # The warnings twice: the second from the reply cache, read back from the
    # file when it was put there.
    for i in range(3):
        r = srv.get("/api/warnings?all=1")
        eq(r.status, 200, f"warnings, request {i + 1}")
        check(len(r.body) > SPILL, f"the warnings are {len(r.body)} bytes")
        eq(r.json(), warnings, f"warnings, request {i + 1}, against the command line's")
    eq(_files_in(srv.proc.pid, spill), 0, "reply files open once the replies are sent")

    srv.stop()

    # No file can be made there: the replies come from memory, whole.
    srv = ctx.serve(env={"TMPDIR": ctx.path("no-such-folder")})
    r = srv.get("/api/export?format=csv")
    eq(r.status, 200, "export without a usable TMPDIR")
    check(r.body == csv, "the export without a usable TMPDIR differs from the command line's")
    eq(srv.get("/api/warnings?all=1").json(), warnings, "warnings without a usable TMPDIR")


def test_slow_clients_are_sent_replies_from_files(ctx):
    # 8,000 generated projects: their warnings (7.6 MB) are more than the
    # kernel's socket buffers take, so a client that reads slowly keeps
    # its reply in the server until it has read it.
    ctx.now = "2025-12-31"
    ctx.init()
    data = ctx.path("projects.csv")
    gen = os.path.join(os.path.dirname(__file__), "..", "..", "bench", "gen.py")
    subprocess.run([sys.executable, gen, "8000", "-o", data], check=True, capture_output=True)
    ctx.run("import", data, check_rc=0)
    warnings = json.loads(ctx.run("warnings", "--all", "--json", check_rc=0).out)
    spill = ctx.path("spill")
    os.mkdir(spill)
    srv = ctx.serve(env={"TMPDIR": spill})
    slow = [_slow_get(srv, "/api/warnings?all=1") for _ in range(3)]
    # Each reply is in a file of its own, without a name, open until its
    # client has read it all.
    _wait(lambda: _files_in(srv.proc.pid, spill) == 3, "three reply files")
    eq(os.listdir(spill), [], "names of reply files")
    for i, (s, got) in enumerate(slow):
        status, body = _read_reply(s, got)
        eq(status, 200, "a slow client's reply")
        check(len(body) > 6 << 20, f"the warnings are {len(body)} bytes")
        eq(json.loads(body), warnings, "a slow client's warnings")
        s.close()
        _wait(lambda: _files_in(srv.proc.pid, spill) == 2 - i, f"{2 - i} reply files left")
