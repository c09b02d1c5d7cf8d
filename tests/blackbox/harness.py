"""Black-box test harness: runs the real zhaoshang binary and its server.

Every test gets a fresh temporary folder and a fresh database. A test is a
function named test_* in a tests/blackbox/test_*.py module taking one argument,
the Ctx. The runner prints one line per failure and closes with
"N passed, N failed".

The database is a SQLite file in the test's folder, or with --backend postgresql
a database of its own (zs_t_<n>) on the server named by --pg-url, created empty
before the test and dropped after it. ctx.db is what the binary gets as --db:
the file's path or the database's postgresql:// URL. Tests marked sqlite_only or
postgresql_only are skipped (and counted as skipped) on the other backend.
"""
import hashlib
import http.client
import itertools
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import time
import urllib.parse

BINARY = None  # set by run.py
NOW = "2025-06-30"  # the default "today" of the tests (after the demo's last date)
BACKEND = "sqlite"  # or "postgresql"; set by run.py
PG_URL = None  # admin URL of the PostgreSQL server (a superuser), set by run.py

# psql -A output: fields, records and NULL told apart by control characters
# that never occur in the tests' data.
_FS, _RS, _NULL = "\x1f", "\x1e", "\x1d"
_INT = re.compile(r"-?[0-9]+")
_names = itertools.count(1)


class Failure(Exception):
    pass


def check(cond, msg="check failed"):
    if not cond:
        raise Failure(msg)


def eq(got, want, what=""):
    if got != want:
        raise Failure(f"{what}: got {got!r}, want {want!r}")


def sqlite_only(test):
    """Marks a test that is about SQLite (files, PRAGMAs, sqlite_master)."""
    test.backends = ("sqlite",)
    return test


def postgresql_only(test):
    """Marks a test that is about PostgreSQL."""
    test.backends = ("postgresql",)
    return test


def runs_on(test, backend):
    return backend in getattr(test, "backends", ("sqlite", "postgresql"))


# PostgreSQL through psql (postgresql-client): the tests need no driver.

def pg_url(name, base=None):
    """The URL of database `name` on the server of `base` (default PG_URL)."""
    u = urllib.parse.urlsplit(base or PG_URL)
    return urllib.parse.urlunsplit((u.scheme, u.netloc, "/" + name, u.query, u.fragment))


def psql(url, query, rows=False):
    """Runs one SQL string with psql on the database at url. With rows, returns
    the rows of its (last) result as lists of str, None for NULL."""
    cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", query]
    if rows:
        cmd[1:1] = ["-A", "-t", "-F", _FS, "-R", _RS, "-P", "null=" + _NULL]
    env = dict(os.environ, PGCLIENTENCODING="UTF8", PGDATESTYLE="ISO", PGCONNECT_TIMEOUT="10")
    p = subprocess.run(cmd, capture_output=True, env=env, timeout=300)
    if p.returncode != 0:
        raise Failure(f"psql {query[:200]!r}: exit {p.returncode}: "
                      f"{p.stderr.decode('utf-8', 'replace').strip()}")
    if not rows:
        return None
    out = p.stdout.decode("utf-8")
    if out.endswith("\n"):
        out = out[:-1]
    if out == "":
        return []
    return [[None if v == _NULL else v for v in r.split(_FS)] for r in out.split(_RS)]


def pg_value(v):
    """A value as psql printed it, as Python would get it from SQLite: digit-only
    text (an optional minus sign) becomes int, NULL None; the rest stays str
    (dates 'YYYY-MM-DD', DateStyle ISO). So a text column that holds only digits
    comes back as int here but as str from SQLite: compare such columns as text
    in SQL (col || '') or convert in the test."""
    if v is not None and _INT.fullmatch(v):
        return int(v)
    return v


def pg_create(name, template=None):
    q = f'CREATE DATABASE "{name}"'
    if template:
        q += f' TEMPLATE "{template}"'
    psql(PG_URL, q)
    return pg_url(name)


def pg_drop(name):
    psql(PG_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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


def password_for(user):
    """The password the tests give a user they make (meets the default policy)."""
    return "Zs-" + hashlib.sha256(user.encode()).hexdigest()[:10] + "-Passw0rd!"


class Client:
    """An HTTP client of one server with a cookie jar of its own: a browser.
    After login() every request carries the session cookie and, for writes,
    the X-CSRF-Token header (unless csrf=False)."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}
        self.csrf = None
        self.user = None

    def request(self, method, path, body=None, headers=None, raw=False, csrf=True):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        h = dict(headers or {})
        if body is not None and not raw:
            body = json.dumps(body, ensure_ascii=False).encode("utf-8")
            h.setdefault("Content-Type", "application/json")
        if self.cookies and "Cookie" not in h:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if csrf and self.csrf and method not in ("GET", "HEAD"):
            h.setdefault("X-CSRF-Token", self.csrf)
        path = urllib.parse.quote(path, safe="/?=&%:,+-_.~")
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        resp = Response(r.status, r.getheaders(), r.read())
        conn.close()
        for k, v in resp.headers:
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                value = rest.split(";")[0]
                if "Max-Age=0" in v or not value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
        return resp

    def get(self, path):
        return self.request("GET", path)

    def login(self, user, password=None):
        r = self.request("POST", "/api/session",
                         {"username": user, "password": password or password_for(user)})
        if r.status == 200:
            self.csrf = r.json()["csrf_token"]
            self.user = user
        return r


class Server:
    """A running `zhaoshang serve`. request()/get() go through a client logged
    in as the bureau user "tester" (made when missing), unless login=False;
    client() gives other browsers. env: more environment variables."""

    def __init__(self, ctx, db, now=None, extra=(), login=True, env=None):
        self.ctx, self.db, self.now = ctx, db, now
        env = dict(os.environ, ZHAOSHANG_NOW=now or ctx.now, **(env or {}))
        self.proc = subprocess.Popen(
            [BINARY, "--db", db, "serve", "--listen", "127.0.0.1:0", *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
        line = self.proc.stdout.readline()
        if "http://" not in line:
            err = self.proc.stderr.read()
            raise Failure(f"server did not start: {line!r} {err!r}")
        self.port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
        self.main = Client(self.port)
        if login:
            r = self.main.login("tester")
            if r.status == 401:
                ctx.user("tester", "bureau", db=db)
                r = self.main.login("tester")
            if r.status != 200:
                raise Failure(f"login as tester: {r!r}")

    def client(self, user=None, role=None, region=None, chain=None):
        """A new browser; with user, logged in (the user is made first when role
        is given)."""
        c = Client(self.port)
        if user:
            if role:
                self.ctx.user(user, role, region=region, chain=chain, db=self.db)
            r = c.login(user)
            if r.status != 200:
                raise Failure(f"login as {user}: {r!r}")
        return c

    def request(self, method, path, body=None, headers=None, raw=False, csrf=True):
        return self.main.request(method, path, body, headers, raw, csrf)

    def get(self, path):
        return self.main.get(path)

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
    demo_cache = None  # SQLite: path of the demo file; PostgreSQL: name of the demo database

    def __init__(self, tmp):
        self.tmp = tmp
        self.now = NOW
        self.backend = BACKEND
        self.servers = []
        self.pg_dbs = []  # databases this test made, dropped by close()
        self.db = self.new_db("zs")

    def path(self, name):
        return os.path.join(self.tmp, name)

    def new_db(self, name):
        """The --db of a new empty database (not initialised): a file path in the
        test's folder that does not exist yet, or the URL of a new PostgreSQL
        database."""
        if self.backend == "sqlite":
            p = self.path(name if "." in name else name + ".db")
            if os.path.exists(p):
                raise Failure(f"new_db: {p} exists")
            return p
        n = f"zs_t_{os.getpid()}_{next(_names)}"
        url = pg_create(n)
        self.pg_dbs.append(n)
        return url

    def sql(self, query, db=None):
        """Runs one SQL statement on the test's database (or db: a path or URL from
        new_db) and returns its rows as tuples. SQLite through Python's sqlite3 (and
        committed); PostgreSQL through psql, values converted by pg_value. Keep the
        SQL portable: both backends have the same tables and columns."""
        db = db or self.db
        if self.backend == "sqlite":
            if db.startswith("sqlite:"):
                db = db[len("sqlite:"):]
            if not os.path.exists(db):
                raise Failure(f"sql: no database file {db}")
            c = sqlite3.connect(db)
            try:
                rows = [tuple(r) for r in c.execute(query).fetchall()]
                c.commit()
            finally:
                c.close()
            return rows
        return [tuple(pg_value(v) for v in r) for r in psql(db, query, rows=True)]

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

    def user(self, name, role, region=None, chain=None, db=None, password=None):
        """Makes a user through the CLI (with password_for(name) unless given)."""
        args = ["user", "add", name, "--role", role, "--password-stdin"]
        if region:
            args += ["--region", region]
        if chain:
            args += ["--chain", chain]
        pw = password or password_for(name)
        self.run(*args, db=db, input=(pw + "\n").encode(), check_rc=0)
        return pw

    def demo(self):
        """Makes self.db a copy of a demo database (built once per run)."""
        if self.backend == "sqlite":
            if Ctx.demo_cache is None:
                d = tempfile.mkdtemp(prefix="zs-demo-")
                path = os.path.join(d, "demo.db")
                self.run("init", db=path, check_rc=0)
                self.run("demo", db=path, check_rc=0)
                self.user("tester", "bureau", db=path)
                Ctx.demo_cache = path
            shutil.copy(Ctx.demo_cache, self.db)
            return
        if Ctx.demo_cache is None:
            name = f"zs_demo_{os.getpid()}"
            pg_drop(name)
            url = pg_create(name)
            try:
                self.run("init", db=url, check_rc=0)
                self.run("demo", db=url, check_rc=0)
                self.user("tester", "bureau", db=url)
            except BaseException:
                pg_drop(name)
                raise
            Ctx.demo_cache = name
        name = self.pg_dbs.pop(self.pg_dbs.index(urllib.parse.urlsplit(self.db).path[1:]))
        pg_drop(name)
        self.db = pg_create(name, template=Ctx.demo_cache)
        self.pg_dbs.append(name)

    @staticmethod
    def drop_demo():
        """Deletes the demo database of the run, if one was made."""
        if Ctx.demo_cache is None:
            return
        if BACKEND == "sqlite":
            shutil.rmtree(os.path.dirname(Ctx.demo_cache), ignore_errors=True)
        else:
            pg_drop(Ctx.demo_cache)
        Ctx.demo_cache = None

    def serve(self, db=None, now=None, extra=(), login=True, env=None):
        s = Server(self, db or self.db, now, extra, login, env)
        self.servers.append(s)
        return s

    def close(self):
        """Stops the servers, then drops the test's PostgreSQL databases."""
        errors = []
        for s in self.servers:
            try:
                s.stop()
            except Failure as e:
                errors.append(str(e))
        self.servers = []
        while self.pg_dbs:
            try:
                pg_drop(self.pg_dbs.pop())
            except Failure as e:
                errors.append(str(e))
        if errors:
            raise Failure("; ".join(errors))
