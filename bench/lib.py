#!/usr/bin/env python3
"""Helpers of bench/run (python3 stdlib only).

    lib.py wall REPEAT -- CMD...        median and min wall time of CMD (ms)
    lib.py curl REPEAT URL [--unique]   median and min of curl's time_total (ms),
                                        after 4 warm-up requests; --unique adds
                                        &bench=N so no reply cache answers
    lib.py sqltimer STATEMENTS FILE     median per-iteration sum of the
                                        sqlite3 `.timer` lines (ms), the first
                                        iteration dropped as a warm-up
    lib.py follow URL PAGES             follows "next" cursors PAGES pages deep,
                                        prints the cursor reached
    lib.py login URL USER PASSWORD      POST /api/session; prints the session
                                        cookie (NAME=TOKEN)
    lib.py wrk FILE                     req/s, p50 and p99 (ms) from wrk --latency
    lib.py pgtimer STATEMENTS FILE      the same for psql's `\timing` lines
                                        (median and min)
    lib.py rss PID...                   RssAnon, RssFile and VmHWM of processes
                                        (MiB, summed)
    lib.py rsspeak PID OUT              samples PID's RssAnon every 20 ms until
                                        it ends, keeping the highest in OUT
    lib.py cputicks PID                 user + system CPU of a process (ticks)
    lib.py cpusnap PID [POSTMASTER]     CPU ticks of PID and of every child of
                                        POSTMASTER (PostgreSQL's processes)
    lib.py cpudelta SNAP0 SNAP1         CPU ticks between two snapshots: of the
                                        first PID, and of the rest
    lib.py eqp FILE                     FILE's statements as EXPLAIN QUERY PLAN
    lib.py pgexplain FILE               FILE's statements as EXPLAIN (ANALYZE,
                                        BUFFERS), for psql
    lib.py execms FILE                  sum of the "Execution Time" lines (ms)
    lib.py freeport                     a free TCP port on 127.0.0.1
    lib.py nearbest FILE N BACKEND KEY... the raw SQL timings among KEY within
                                        1.5 times the fastest of them
    lib.py alternate ROUNDS URL BACKEND DB FILE:STATEMENTS:INPUT...
                                        a GET of URL and each raw SQL form in
                                        alternation: their medians (ms)
    lib.py headlinecheck JSON ROWS FILE whether the rows of headline SQL FILE
                                        give the figures of the CLI's JSON
    lib.py record FILE N KEY VALUE...   appends a result line (JSON)
    lib.py report FILE                  the results as Markdown tables

Every figure printed is "key=value" so that bench/run can read it. The
requests of curl and follow carry the cookie in BENCH_COOKIE, if set.
"""
import json
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request


def out(**kv):
    print(" ".join(f"{k}={v}" for k, v in kv.items()))


def cmd_wall(args):
    repeat = int(args[0])
    cmd = args[args.index("--") + 1:]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=900)
        times.append((time.perf_counter() - t) * 1000)
        if r.returncode != 0:
            sys.stderr.write(r.stderr.decode(errors="replace"))
            sys.exit(f"bench: command failed: {' '.join(cmd)}")
    out(median=f"{statistics.median(times):.3f}", min=f"{min(times):.3f}")


def cookie_args():
    c = os.environ.get("BENCH_COOKIE")
    return ["-H", f"Cookie: {c}"] if c else []


def cmd_curl(args):
    repeat, url = int(args[0]), args[1]
    unique = "--unique" in args
    times, size = [], 0
    sep = "&" if "?" in url else "?"
    for i in range(4):  # warm-up: every pool thread opens its connection
        u = f"{url}{sep}bench=w{i}-{time.time_ns()}" if unique else url
        subprocess.run(["curl", "-sS", "--max-time", "300", *cookie_args(), "-o", "/dev/null", u],
                       capture_output=True, timeout=330)
    for i in range(repeat):
        u = f"{url}{sep}bench={i}-{time.time_ns()}" if unique else url
        r = subprocess.run(["curl", "-sS", "--max-time", "300", *cookie_args(), "-o", "/dev/null", "-w",
                            "%{http_code} %{time_total} %{size_download}", u],
                           capture_output=True, text=True, timeout=330)
        code, t, size = r.stdout.split()
        if code != "200":
            sys.exit(f"bench: {url} answered {code}")
        times.append(float(t) * 1000)
    out(median=f"{statistics.median(times):.3f}", min=f"{min(times):.3f}", bytes=size)


def sql_times(text, per, backend):
    """The wall times of a sqlite3 (.timer) or psql (\\timing) session's
    output, summed per run of a file of PER statements, each with its CPU
    time (sqlite3's user + sys; None for psql)."""
    if backend == "sqlite":
        t = [(float(m.group(1)) * 1000, (float(m.group(2)) + float(m.group(3))) * 1000)
             for m in re.finditer(r"^Run Time: real ([\d.]+) user ([\d.]+) sys ([\d.]+)", text, re.M)]
    else:
        t = [(float(m.group(1)), None) for m in re.finditer(r"^Time: ([\d.]+) ms", text, re.M)]
    if not t or len(t) % per:
        return None
    return [(sum(x[0] for x in t[i:i + per]),
             None if t[i][1] is None else sum(x[1] for x in t[i:i + per]))
            for i in range(0, len(t), per)]


def timer_runs(args, backend):
    """The runs of a timer file after the first (a warm-up)."""
    per, path = int(args[0]), args[1]
    runs = sql_times(open(path, encoding="utf-8").read(), per, backend)
    if not runs:
        sys.exit(f"bench: {path}: no timer lines, or not a multiple of {per}")
    return runs[1:]


def cmd_sqltimer(args):
    runs = timer_runs(args, "sqlite")
    out(median=f"{statistics.median(r[0] for r in runs):.3f}",
        cpu=f"{statistics.median(r[1] for r in runs):.3f}")


def cmd_pgtimer(args):
    runs = timer_runs(args, "postgresql")
    out(median=f"{statistics.median(r[0] for r in runs):.3f}", min=f"{min(r[0] for r in runs):.3f}")


def cmd_headlinecheck(args):
    """Whether the rows of a headline SQL file (headline.sql: county rows of 4
    columns, then the events' count and amount, then the foreign-oriented
    count; headline_onepass.sql: county rows of 7 columns) give the figures
    of the CLI's JSON; when they differ, prints both and exits 1."""
    cli = json.load(open(args[0], encoding="utf-8"))
    rows = [[int(v or 0) for v in line.split("|")]
            for line in open(args[1], encoding="utf-8").read().splitlines() if line]
    if args[2] == "headline_onepass.sql":
        county = [r[:4] for r in rows if r[1]]
        event = [sum(r[4] for r in rows), sum(r[5] for r in rows)]
        foreign = sum(r[6] for r in rows)
    else:
        county = [r for r in rows if len(r) == 4]
        event = next(r for r in rows if len(r) == 2)
        foreign = next(r[0] for r in rows if len(r) == 1)
    got = {"out": [sum(r[i] for r in county) for i in (1, 2, 3)],
           "by_region": sorted(r[1:] for r in county),
           "event": event, "foreign": foreign}
    o = cli["out_of_province_100m"]
    want = {"out": [o["count"], o["amount_wan"], o["started"]],
            "by_region": sorted([r["count"], r["amount_wan"], r["started"]]
                                for r in cli["by_region"] if r["count"]),
            "event": [cli["event_signed"]["count"], cli["event_signed"]["amount_wan"]],
            "foreign": cli["foreign_oriented_100m"]["count"]}
    if got != want:
        print(f"bench: {args[2]} gives {got}, the CLI {want}", file=sys.stderr)
        sys.exit(1)


def cmd_nearbest(args):
    """The keys of raw SQL timings of size N and a backend whose figure is
    within 1.5 times the best of them, in the order given."""
    path, n, backend, keys = args[0], int(args[1]), args[2], args[3:]
    got = {}
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        if r["n"] == n and r.get("backend") == backend and r["key"] in keys:
            got[r["key"]] = sqlfig(r)[0]
    if not got:
        sys.exit(f"bench: no timing of {' '.join(keys)} at {n} on {backend}")
    best = min(got.values())
    print(" ".join(k for k in keys if k in got and got[k] <= 1.5 * best))


def cmd_alternate(args):
    """A GET of URL (made new to the reply cache) and each raw SQL form in
    alternation, ROUNDS rounds; the GET goes first in even rounds and last in
    odd ones. A form is FILE:STATEMENTS:INPUT, INPUT being a sqlite3 or psql
    script that runs the file twice: the second run's time is kept."""
    rounds, url, backend, db, specs = int(args[0]), args[1], args[2], args[3], args[4:]
    forms = [s.split(":", 2) for s in specs]
    sep = "&" if "?" in url else "?"

    def get(i):
        r = subprocess.run(["curl", "-sS", "--max-time", "300", *cookie_args(), "-o", "/dev/null", "-w",
                            "%{http_code} %{time_total}", f"{url}{sep}bench=alt{i}-{time.time_ns()}"],
                           capture_output=True, text=True, timeout=330)
        code, t = r.stdout.split()
        if code != "200":
            sys.exit(f"bench: {url} answered {code}")
        return float(t) * 1000

    def sql(form):
        name, per, inp = form
        if backend == "sqlite":
            r = subprocess.run(["sqlite3", db], stdin=open(inp, "rb"), capture_output=True, text=True, timeout=1200)
        else:
            r = subprocess.run(["psql", "-X", "-q", "-d", db, "-f", inp], capture_output=True, text=True, timeout=1200)
        runs = sql_times(r.stdout + r.stderr, int(per), backend)
        if r.returncode != 0 or not runs or len(runs) != 2:
            sys.exit(f"bench: the raw SQL {name} failed in alternation: {(r.stderr or r.stdout)[-300:]}")
        return runs[1]

    get(-1)
    http, sqls = [], [[] for _ in forms]
    for i in range(rounds):
        if i % 2 == 0:
            http.append(get(i))
        for j, f in enumerate(forms):
            sqls[j].append(sql(f))
        if i % 2 == 1:
            http.append(get(i))
    # A time of sqlite3's .timer under 5 ms is taken as its CPU time (see
    # sqlfig): the timer's wall clock has a resolution of 1 ms.
    figs, cpu = [], []
    for t in sqls:
        real = statistics.median(x[0] for x in t)
        cpu.append(t[0][1] is not None and real < 5)
        figs.append(statistics.median(x[1] for x in t) if cpu[-1] else real)
    out(http=f"{statistics.median(http):.3f}", http_min=f"{min(http):.3f}",
        forms=",".join(f[0] for f in forms), sql=",".join(f"{v:.3f}" for v in figs),
        cpu=",".join(str(int(c)) for c in cpu))


def cmd_follow(args):
    url, pages = args[0], int(args[1])
    cursor, n = None, 0
    t = time.perf_counter()
    for n in range(pages):
        u = url + ("&after=" + cursor if cursor else "")
        c = os.environ.get("BENCH_COOKIE")
        req = urllib.request.Request(u, headers={"Cookie": c} if c else {})
        with urllib.request.urlopen(req, timeout=60) as r:
            nxt = json.load(r)["next"]
        if not nxt:
            break
        cursor = nxt
    out(cursor=cursor or "", pages=n + 1,
        ms_per_page=f"{(time.perf_counter() - t) * 1000 / (n + 1):.3f}")


def cmd_login(args):
    url, user, password = args
    body = json.dumps({"username": user, "password": password}).encode()
    req = urllib.request.Request(url.rstrip("/") + "/api/session", data=body, method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        reply = json.load(r)
        cookie = r.headers.get("Set-Cookie", "").split(";")[0]
    if not cookie or reply.get("password_expired"):
        sys.exit(f"bench: login as {user} gave no usable session: {reply}")
    out(cookie=cookie)


def to_ms(v):
    m = re.match(r"([\d.]+)(us|ms|s)", v)
    x = float(m.group(1))
    return {"us": x / 1000, "ms": x, "s": x * 1000}[m.group(2)]


def cmd_wrk(args):
    text = open(args[0], encoding="utf-8").read()
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    p50 = re.search(r"\s50%\s+(\S+)", text)
    p99 = re.search(r"\s99%\s+(\S+)", text)
    reqs = re.search(r"(\d+) requests in", text)
    errs = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    sock = re.search(r"Socket errors: (.*)", text)
    if not rps:
        sys.exit(f"bench: no wrk result in {args[0]}")
    out(rps=f"{float(rps.group(1)):.0f}", p50=f"{to_ms(p50.group(1)):.3f}",
        p99=f"{to_ms(p99.group(1)):.3f}", requests=reqs.group(1), non2xx=errs.group(1) if errs else 0,
        sockerr=(sock.group(1).replace(" ", "").replace(",", "/") if sock else "none"))


def cmd_rss(args):
    anon = hwm = rfile = 0
    for pid in args:
        kv = {}
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                k, _, v = line.partition(":")
                kv[k] = v.strip()
        anon += int(kv["RssAnon"].split()[0])
        hwm += int(kv["VmHWM"].split()[0])
        rfile += int(kv["RssFile"].split()[0])
    out(rss_anon=f"{anon / 1024:.1f}", hwm=f"{hwm / 1024:.1f}", rss_file=f"{rfile / 1024:.1f}")


def cmd_rsspeak(args):
    """Runs until PID ends (or a signal): OUT holds peak=MiB, the highest
    RssAnon seen, rewritten whenever it rises. Sampling every 20 ms sees a
    reply held for longer than that (the 31 MB warnings take 0.5 s to build
    at 1M)."""
    pid, path = args
    peak = -1
    while True:
        try:
            with open(f"/proc/{pid}/status") as f:
                kb = next(int(line.split()[1]) for line in f if line.startswith("RssAnon:"))
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            return
        if kb > peak:
            peak = kb
            with open(path + ".tmp", "w") as f:
                f.write(f"peak={kb / 1024:.1f}\n")
            os.replace(path + ".tmp", path)
        time.sleep(0.02)


def ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None, None
    return int(fields[1]), int(fields[11]) + int(fields[12])  # ppid, utime + stime


def cmd_cpusnap(args):
    """pid:ticks,... of PID, then of every child of POSTMASTER (the
    PostgreSQL backends and helpers; the postmaster itself does little)."""
    snap = []
    _, t = ticks(args[0])
    snap.append(f"{args[0]}:{t}")
    if len(args) > 1:
        for d in os.listdir("/proc"):
            if d.isdigit():
                ppid, t = ticks(d)
                if ppid is not None and str(ppid) == args[1]:
                    snap.append(f"{d}:{t}")
    print(",".join(snap))


def cmd_cpudelta(args):
    """Ticks between two snapshots: of the first PID, and of the others
    (a process that ended in between is not counted; one that started
    counts from zero)."""
    a = dict(x.split(":") for x in args[0].split(","))
    b = [x.split(":") for x in args[1].split(",")]
    first = int(b[0][1]) - int(a[b[0][0]])
    rest = sum(int(t) - int(a.get(p, 0)) for p, t in b[1:])
    out(server=first, others=rest)


def cmd_cputicks(args):
    """utime + stime of a whole process (all threads), in clock ticks."""
    with open(f"/proc/{args[0]}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    print(int(fields[11]) + int(fields[12]))


def cmd_eqp(args):
    """The statements of an SQL file, each prefixed with EXPLAIN QUERY PLAN."""
    import sqlite3
    text = "\n".join(l for l in open(args[0], encoding="utf-8")
                     if not l.lstrip().startswith("--"))
    stmt = ""
    for line in text.splitlines(keepends=True):
        stmt += line
        if sqlite3.complete_statement(stmt):
            print("EXPLAIN QUERY PLAN " + " ".join(stmt.split()))
            stmt = ""


def statements(path):
    """The SQL statements of a file (comment lines dropped; a statement ends
    with a semicolon at the end of a line)."""
    stmt, res = "", []
    for line in open(path, encoding="utf-8"):
        if line.lstrip().startswith("--"):
            continue
        stmt += line
        if line.rstrip().endswith(";"):
            res.append(" ".join(stmt.split()))
            stmt = ""
    return res


def cmd_pgexplain(args):
    for st in statements(args[0]):
        print("EXPLAIN (ANALYZE, BUFFERS) " + st)


def cmd_execms(args):
    t = [float(m.group(1)) for m in re.finditer(r"Execution Time: ([\d.]+) ms",
                                                open(args[0], encoding="utf-8").read())]
    print(f"{sum(t):.3f}")


def cmd_freeport(args):
    import socket
    with socket.socket() as so:
        so.bind(("127.0.0.1", 0))
        print(so.getsockname()[1])


def cmd_record(args):
    path, n, key = args[0], int(args[1]), args[2]
    vals = dict(a.split("=", 1) for a in args[3:])
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps({"n": n, "key": key, **vals}, ensure_ascii=False) + "\n")


def fmt_n(n):
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else (
        f"{n // 1000}k" if n % 1000 == 0 else str(n))


def ms(v):
    v = float(v)
    return f"{v:.0f} ms" if v >= 100 else (f"{v:.1f} ms" if v >= 10 else f"{v:.2f} ms")


def sqlfig(r):
    """The figure of a raw SQL timing: the median wall time (sqlite3's .timer,
    psql's \\timing), or for sqlite3 its CPU time when the wall time is too
    short for the timer's 1 ms resolution."""
    real = float(r["median"])
    if "cpu" in r and real < 5:
        return float(r["cpu"]), f"{ms(r['cpu'])} raw SQL (CPU)"
    return real, f"{ms(real)} raw SQL"


def pct(ours, ceiling, higher_better):
    ours, ceiling = float(ours), float(ceiling)
    if ours <= 0 or ceiling <= 0:
        return "-"
    return f"{(ours / ceiling if higher_better else ceiling / ours) * 100:.0f}%"


def verdict(ok):
    return "met" if ok else "**missed**"


BACKENDS = (("sqlite", "SQLite"), ("postgresql", "PostgreSQL"))

IMPORT_CEILINGS = {
    "sqlite": (("bare", "bare SQL, indexes row by row"),
               ("bare_bulk", "bare SQL, indexes built once")),
    "postgresql": (("bare", "bare SQL (COPY of the CSV + INSERT ... SELECT), indexes row by row"),
                   ("bare_bulk", "the same, indexes and foreign keys built once"),
                   ("copy_bulk", "COPY of the rows, indexes and foreign keys built once"),
                   ("insert_bulk", "one prepared INSERT per row, indexes and foreign keys built once"),
                   ("insert_pipeline_bulk", "the same INSERTs pipelined")),
}
# The same ceilings named on their own, for the side-by-side table, where
# "the same" has nothing before it to refer to.
IMPORT_CEILING_NAMES = {
    "bare_bulk": {"postgresql": "bare SQL (COPY of the CSV + INSERT ... SELECT), indexes and foreign keys built once"},
    "insert_pipeline_bulk": {"postgresql": "one prepared INSERT per row, pipelined, indexes and foreign keys built once"},
}

QUESTIONS = (
    ("headline", "headline", (("headline_sql", "headline.sql"),
                              ("headline_onepass_sql", "headline_onepass.sql"))),
    ("warnings", "warnings scan", (("warnings_sql", "warnings.sql"),
                                   ("warnings_open_sql", "warnings_open.sql"))),
    ("detail", "detail", (("detail_sql", "project_get.sql"),)),
    ("assess", "assessment", (("assess_sql", "assess.sql"),
                              ("assess_split_sql", "assess_split.sql"))),
)


def cpu_text(w):
    """CPU per request of a wrk run: the server's, plus PostgreSQL's."""
    if "pg_us" in w:
        total = float(w["cpu_us"]) + float(w["pg_us"])
        return f"{total:.1f} µs CPU/req ({w['cpu_us']} server + {w['pg_us']} PostgreSQL)"
    return f"{w['cpu_us']} µs CPU/req"


def cpu_total(w):
    return float(w["cpu_us"]) + float(w.get("pg_us", 0))


def alternation(a):
    """A GET and its raw SQL timed in alternation (lib.py alternate): the
    rounds, the GET's median, the fastest form (median, file) and every
    form's (file, median); None without one."""
    if not a:
        return None
    cpu = a.get("cpu", "").split(",")
    forms = [(f + (" (CPU)" if i < len(cpu) and cpu[i] == "1" else ""), float(v))
             for i, (f, v) in enumerate(zip(a["forms"].split(","), a["sql"].split(",")))]
    best = min(forms, key=lambda f: f[1])
    return int(a["rounds"]), float(a["http"]), (best[1], best[0]), forms


def best_sql(r, files):
    forms = [(sqlfig(r[k]), k, f) for k, f in files if k in r]
    if not forms:
        return None
    return min(forms, key=lambda x: x[0][0]), forms


def backend_table(res, minimal, backend):
    """The full table of one backend: every figure beside its ceiling."""
    lines = ["| N | figure | zhaoshang | ceiling | ceiling reached | target |",
             "|---|---|---|---|---|---|"]
    tool = "sqlite3" if backend == "sqlite" else "psql"

    def add(n, fig, ours, ceil, p, target=""):
        lines.append(f"| {fmt_n(n)} | {fig} | {ours} | {ceil} | {p} | {target} |")

    floor = float(minimal["minimal_curl"]["median"]) if minimal.get("minimal_curl") else 0.0
    for n in sorted(res):
        r = res[n]
        if "import" in r:
            imp = r["import"]
            for key, what in IMPORT_CEILINGS[backend]:
                bare = r.get(key)
                if not bare:
                    continue
                add(n, "import, rows/s", f"{float(imp['rps']):,.0f} ({float(imp['s']):.1f} s)",
                    f"{float(bare['rps']):,.0f} ({float(bare['s']):.1f} s) {what}",
                    pct(imp["rps"], bare["rps"], True),
                    ">= 100,000 rows/s: " + verdict(float(imp["rps"]) >= 100000))
        for what, label, files in QUESTIONS:
            h, cli, hc = r.get(f"{what}_http"), r.get(f"{what}_cli"), r.get(f"{what}_http_cached")
            b = best_sql(r, files)
            if not b:
                continue
            ((best, best_text), best_key, best_file), forms = b
            alt = alternation(r.get(f"{what}_alt"))
            if h:
                net = max(0.0, float(h["median"]) - floor)
                target = ("no slower than raw SQL" + (", measured apart: " if alt else ": ") +
                          verdict(net <= best * 1.10) if what != "detail" else "")
                add(n, f"{label}: GET, median (net of the {ms(floor)} HTTP floor)",
                    f"{ms(h['median'])} ({ms(net)} net)", best_text.replace("raw SQL", best_file),
                    pct(net, best, False), target)
                for (v, text), k, f in forms:
                    if k != best_key:
                        add(n, f"{label}: the other raw SQL form", "", text.replace("raw SQL", f),
                            pct(net, v, False))
            if alt:
                rounds, http, (abest, afile), aforms = alt
                net = max(0.0, http - floor)
                add(n, f"{label}: GET and raw SQL in alternation, medians of {rounds} rounds",
                    f"{ms(http)} ({ms(net)} net)", f"{ms(abest)} {afile}", pct(net, abest, False),
                    "no slower than raw SQL, in alternation: " + verdict(net <= abest * 1.10))
                for f, v in aforms:
                    if f != afile:
                        add(n, f"{label}: the other raw SQL form, in alternation", "", f"{ms(v)} {f}",
                            pct(net, v, False))
            sqp = r.get(best_key + "proc")
            if cli and sqp:
                add(n, f"{label}: CLI process, median", ms(cli["median"]),
                    f"{ms(sqp['median'])} {tool} process running {best_file}",
                    pct(cli["median"], sqp["median"], False),
                    "no slower than raw SQL: " + verdict(float(cli["median"]) <= float(sqp["median"]) * 1.10))
            if hc:
                # The server caches replies of up to 4 MiB (CACHE_MAX_BODY).
                big = h and float(h.get("bytes", 0)) > 4 << 20
                add(n, f"{label}: GET of the same URL again" + (" (reply over 4 MiB: not cached)" if big else " (reply cache)"), ms(hc["median"]),
                    f"{ms(floor)} minimal handler" if floor else "", pct(hc["median"], floor, False) if floor else "-")
        for page, label in (("first", "list, first page"), ("deep", "list, deep page"),
                            ("detail", "detail"),
                            ("first_cached", "list, first page, cached"),
                            ("deep_cached", "list, deep page, cached"),
                            ("detail_cached", "detail, cached")):
            for c in ("8", "64"):
                w = r.get(f"list_{page}_c{c}") or r.get(f"{page}_c{c}")
                m = minimal.get(f"minimal_c{c}")
                if not w:
                    continue
                target = ""
                f = r.get(f"list_first_c{c}")
                if page == "deep" and f:
                    ok = cpu_total(w) <= 1.10 * cpu_total(f)
                    target = ("as fast as the first page (CPU/request): " + verdict(ok) +
                              f", req/s {pct(w['rps'], f['rps'], True)} of the first")
                add(n, f"{label}: wrk -t2 -c{c}",
                    f"{float(w['rps']):,.0f} req/s, p50 {w['p50']} / p99 {w['p99']} ms, {cpu_text(w)}",
                    (f"{float(m['rps']):,.0f} req/s, p50 {m['p50']} / p99 {m['p99']} ms, "
                     f"{m['cpu_us']} µs CPU/req (minimal MHD)") if m else "",
                    pct(w["rps"], m["rps"], True) if m else "-", target)
            sq = r.get(f"list_{page}_sql")
            if sq:
                v, text = sqlfig(sq)
                add(n, f"{label}: its SQL alone", "", text.replace("raw SQL", "list_first.sql" if page == "first" else "list_after.sql"), "-")
            pp = r.get(f"list_{page}_prep")
            if pp:
                add(n, f"{label}: the server's statement prepared (pgbench -M prepared)",
                    f"{ms(pp['auto'])} a run (default plan cache)",
                    f"{ms(pp['generic'])} with a generic plan", pct(pp["auto"], pp["generic"], False))
            sp = r.get(f"list_{page}_split_sql")
            if sp:
                v, text = sqlfig(sp)
                add(n, f"{label}: SQL seeking both keyset columns", "", text.replace("raw SQL", "list_after_split.sql"), "-")
        w = r.get("warnings_c8")
        if w:
            add(n, "warnings scan: wrk -t2 -c8 (each request a URL of its own)",
                f"{float(w['rps']):,.1f} req/s, p50 {w['p50']} / p99 {w['p99']} ms, {cpu_text(w)}", "", "-")
        if "rss" in r:
            rr = r["rss"]
            extra = (f"; its {rr['pg_backends']} PostgreSQL backends: RssAnon {rr['pg_rss_anon']} MiB"
                     if "pg_rss_anon" in rr else "")
            rfile = f"RssFile {rr['rss_file']} MiB, " if "rss_file" in rr else ""
            if "peak" in rr:
                add(n, "server RssAnon under load (highest sampled, every 20 ms)", f"{rr['peak']} MiB",
                    "", "-", "< 64 MiB: " + verdict(float(rr["peak"]) < 64))
            add(n, "server RssAnon after the load", f"{rr['rss_anon']} MiB",
                f"({rfile}VmHWM {rr['hwm']} MiB{extra})", "-",
                "< 64 MiB: " + verdict(float(rr["rss_anon"]) < 64))
        if "vacuum" in r:
            add(n, "VACUUM (ANALYZE) after the import", f"{float(r['vacuum']['s']):.1f} s", "", "-")
    return lines


def side_by_side(by_backend, minimal):
    """One line per figure and size: each backend's figure and how close it
    comes to its own ceiling."""
    present = [(b, name) for b, name in BACKENDS if b in by_backend]
    head = "| N | figure | " + " | ".join(f"{name} | its ceiling (reached)" for _, name in present) + " |"
    lines = [head, "|---|---|" + "---|---|" * len(present)]
    floor = float(minimal["minimal_curl"]["median"]) if minimal.get("minimal_curl") else 0.0
    sizes = sorted({n for b, _ in present for n in by_backend[b]})

    def import_fig(r, b):
        imp = r.get("import")
        if not imp:
            return None
        cs = [(float(r[k]["rps"]), IMPORT_CEILING_NAMES.get(k, {}).get(b, w))
              for k, w in IMPORT_CEILINGS[b] if k in r]
        if not cs:
            return f"{float(imp['rps']):,.0f} rows/s", ""
        best = max(cs)
        return (f"{float(imp['rps']):,.0f} rows/s",
                f"{best[0]:,.0f} ({best[1]}; {pct(imp['rps'], best[0], True)})")

    def q_fig(what, files):
        def f(r, b):
            h = r.get(f"{what}_http")
            bs = best_sql(r, files)
            alt = alternation(r.get(f"{what}_alt"))
            if alt:
                _, http, (best, best_file), _ = alt
                net = max(0.0, http - floor)
                return f"{ms(net)} net", f"{ms(best)} {best_file} ({pct(net, best, False)}, in alternation)"
            if not h or not bs:
                return None
            ((best, _), _, best_file), _ = bs
            net = max(0.0, float(h["median"]) - floor)
            return f"{ms(net)} net", f"{ms(best)} {best_file} ({pct(net, best, False)})"
        return f

    def wrk_fig(key, ceil_key=None, sql_key=None, prep_key=None):
        def f(r, b):
            w = r.get(key)
            if not w:
                return None
            ours = f"{float(w['rps']):,.0f} req/s, {cpu_total(w):.0f} µs CPU/req"
            ceil = []
            if ceil_key and r.get(ceil_key):
                c = r[ceil_key]
                ceil.append(f"first page {cpu_total(c):.0f} µs ({pct(cpu_total(w), cpu_total(c), False)})")
            if sql_key and r.get(sql_key):
                ceil.append(f"its SQL alone {sqlfig(r[sql_key])[1].replace(' raw SQL', '')}")
            if prep_key and r.get(prep_key):
                pp = r[prep_key]
                ceil.append(f"the server's statement prepared {ms(pp['auto'])}, "
                            f"{ms(pp['generic'])} with a generic plan")
            return ours, "; ".join(ceil)
        return f

    def rss_fig(r, b):
        rr = r.get("rss")
        if not rr:
            return None
        extra = f" + {rr['pg_rss_anon']} MiB in {rr['pg_backends']} backends" if "pg_rss_anon" in rr else ""
        peak = f", at most {rr['peak']} MiB under load" if "peak" in rr else ""
        return f"{rr['rss_anon']} MiB{extra}{peak}", ""

    figures = (
        ("import", import_fig),
        ("headline GET", q_fig("headline", QUESTIONS[0][2])),
        ("warnings GET", q_fig("warnings", QUESTIONS[1][2])),
        ("detail GET", q_fig("detail", QUESTIONS[2][2])),
        ("assessment GET", q_fig("assess", QUESTIONS[3][2])),
        ("list first page, -c64", wrk_fig("list_first_c64", None, "list_first_sql", "list_first_prep")),
        ("list deep page, -c64", wrk_fig("list_deep_c64", "list_first_c64", "list_deep_sql", "list_deep_prep")),
        ("detail, -c64", wrk_fig("detail_c64", None, "detail_sql")),
        ("list first page cached, -c64", wrk_fig("list_first_cached_c64")),
        ("server RssAnon", rss_fig),
    )
    for n in sizes:
        for label, fn in figures:
            cells = []
            for b, _ in present:
                r = by_backend[b].get(n)
                v = fn(r, b) if r else None
                cells += list(v) if v else ["", ""]
            if any(cells):
                lines.append(f"| {fmt_n(n)} | {label} | " + " | ".join(cells) + " |")
    return lines


def cmd_report(args):
    rows = [json.loads(l) for l in open(args[0], encoding="utf-8") if l.strip()]
    minimal, by_backend = {}, {}
    for r in rows:
        if r["n"] == 0:
            minimal[r["key"]] = r
        else:
            by_backend.setdefault(r.get("backend", "sqlite"), {}).setdefault(r["n"], {})[r["key"]] = r
    lines = []
    if len(by_backend) > 1:
        lines += ["## Side by side", ""]
        lines += side_by_side(by_backend, minimal)
        lines += ["", "CPU per request on PostgreSQL is the server's plus the cluster's processes' "
                  "(the queries run there). Each backend's full table follows.", ""]
    for b, name in BACKENDS:
        if b in by_backend:
            lines += [f"## {name}", ""]
            lines += backend_table(by_backend[b], minimal, b)
            lines.append("")
    if minimal.get("minimal_curl"):
        lines.append(f"One curl request to the minimal handler takes {ms(minimal['minimal_curl']['median'])} "
                     "(process start, connection, round trip): the floor under every GET figure above.")
    print("\n".join(lines))


def main():
    cmds = {"wall": cmd_wall, "curl": cmd_curl, "sqltimer": cmd_sqltimer, "follow": cmd_follow,
            "wrk": cmd_wrk, "rss": cmd_rss, "rsspeak": cmd_rsspeak, "cputicks": cmd_cputicks, "eqp": cmd_eqp, "record": cmd_record, "report": cmd_report,
            "pgtimer": cmd_pgtimer, "cpusnap": cmd_cpusnap, "cpudelta": cmd_cpudelta,
            "pgexplain": cmd_pgexplain, "execms": cmd_execms, "freeport": cmd_freeport,
            "login": cmd_login, "nearbest": cmd_nearbest, "alternate": cmd_alternate,
            "headlinecheck": cmd_headlinecheck}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        sys.exit(__doc__)
    cmds[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
