"""Black-box test harness: runs the real zhaoshang binary and its server.

Every test gets a fresh temporary folder. A test is a function named test_*
in a tests/blackbox/test_*.py module taking one argument, the Ctx. The runner
prints one line per failure and closes with "N passed, N failed".
"""
import http.client
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.parse

BINARY = None  # set by run.py
NOW = "2025-06-30"  # the default "today" of the tests (after the demo's last date)


class Failure(Exception):
    pass


def check(cond, msg="check failed"):
    if not cond:
        raise Failure(msg)


def eq(got, want, what=""):
    if got != want:
        raise Failure(f"{what}: got {got!r}, want {want!r}")


class Result:
    def __init__(self, rc, out, err):
        self.rc, self.out, self.err = rc, out, err

    def json(self):
        return json.loads(self.out)

    def __repr__(self):
        return f"rc={self.rc} out={self.out[:300]!r} err={self.err[:500]!r}"


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def __repr__(self):
        return f"HTTP {self.status} {self.body[:500]!r}"


class Server:
    def __init__(self, ctx, db, now=None, extra=()):
        env = dict(os.environ, ZHAOSHANG_NOW=now or ctx.now)
        self.proc = subprocess.Popen(
            [BINARY, "--db", db, "serve", "--listen", "127.0.0.1:0", *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
        line = self.proc.stdout.readline()
        if "http://" not in line:
            err = self.proc.stderr.read()
            raise Failure(f"server did not start: {line!r} {err!r}")
        self.port = int(line.split("http://127.0.0.1:")[1].split("/")[0])

    def request(self, method, path, body=None, headers=None, raw=False):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        h = dict(headers or {})
        if body is not None and not raw:
            body = json.dumps(body, ensure_ascii=False).encode("utf-8")
            h.setdefault("Content-Type", "application/json")
        path = urllib.parse.quote(path, safe="/?=&%:,+-_.~")
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        resp = Response(r.status, r.getheaders(), r.read())
        conn.close()
        return resp

    def get(self, path):
        return self.request("GET", path)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                rc = self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                raise Failure("server did not stop on SIGTERM")
            err = self.proc.stderr.read()
            if rc != 0:
                raise Failure(f"server exited {rc}: {err[-2000:]}")
            if "ERROR: AddressSanitizer" in err or "runtime error" in err or "LeakSanitizer" in err:
                raise Failure(f"sanitizer report from server: {err[-3000:]}")
        self.proc.stdout.close()
        self.proc.stderr.close()


class Ctx:
    demo_cache = None  # path of a demo database made once per run

    def __init__(self, tmp):
        self.tmp = tmp
        self.now = NOW
        self.servers = []
        self.db = os.path.join(tmp, "zs.db")

    def path(self, name):
        return os.path.join(self.tmp, name)

    def run(self, *args, db=None, now=None, input=None, check_rc=None):
        env = dict(os.environ, ZHAOSHANG_NOW=now or self.now)
        if now == "":
            env.pop("ZHAOSHANG_NOW")
        p = subprocess.run([BINARY, "--db", db or self.db, *args], input=input,
                           capture_output=True, env=env, cwd=self.tmp)
        r = Result(p.returncode, p.stdout.decode("utf-8", "replace"),
                   p.stderr.decode("utf-8", "replace"))
        if "ERROR: AddressSanitizer" in r.err or "runtime error:" in r.err or "LeakSanitizer" in r.err:
            raise Failure(f"sanitizer report: {r.err[-3000:]}")
        if check_rc is not None and r.rc != check_rc:
            raise Failure(f"{args}: exit {r.rc}, want {check_rc}: {r!r}")
        return r

    def init(self):
        self.run("init", check_rc=0)

    def demo(self):
        """Makes self.db a copy of a demo database (built once per run)."""
        if Ctx.demo_cache is None:
            d = tempfile.mkdtemp(prefix="zs-demo-")
            path = os.path.join(d, "demo.db")
            self.run("init", db=path, check_rc=0)
            self.run("demo", db=path, check_rc=0)
            Ctx.demo_cache = path
        shutil.copy(Ctx.demo_cache, self.db)

    def serve(self, db=None, now=None, extra=()):
        s = Server(self, db or self.db, now, extra)
        self.servers.append(s)
        return s

    def close(self):
        errors = []
        for s in self.servers:
            try:
                s.stop()
            except Failure as e:
                errors.append(str(e))
        if errors:
            raise Failure("; ".join(errors))
