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
    lib.py wrk FILE                     req/s, p50 and p99 (ms) from wrk --latency
    lib.py rss PID                      RssAnon and VmHWM of a process (MiB)
    lib.py cputicks PID                 user + system CPU of a process (ticks)
    lib.py eqp FILE                     FILE's statements as EXPLAIN QUERY PLAN
    lib.py record FILE N KEY VALUE...   appends a result line (JSON)
    lib.py report FILE                  the results as Markdown tables

Every figure printed is "key=value" so that bench/run can read it.
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


def cmd_curl(args):
    repeat, url = int(args[0]), args[1]
    unique = "--unique" in args
    times, size = [], 0
    sep = "&" if "?" in url else "?"
    for i in range(4):  # warm-up: every pool thread opens its connection
        u = f"{url}{sep}bench=w{i}-{time.time_ns()}" if unique else url
        subprocess.run(["curl", "-sS", "--max-time", "300", "-o", "/dev/null", u],
                       capture_output=True, timeout=330)
    for i in range(repeat):
        u = f"{url}{sep}bench={i}-{time.time_ns()}" if unique else url
        r = subprocess.run(["curl", "-sS", "--max-time", "300", "-o", "/dev/null", "-w",
                            "%{http_code} %{time_total} %{size_download}", u],
                           capture_output=True, text=True, timeout=330)
        code, t, size = r.stdout.split()
        if code != "200":
            sys.exit(f"bench: {url} answered {code}")
        times.append(float(t) * 1000)
    out(median=f"{statistics.median(times):.3f}", min=f"{min(times):.3f}", bytes=size)


def cmd_sqltimer(args):
    per, path = int(args[0]), args[1]
    reals, cpus = [], []
    for line in open(path, encoding="utf-8"):
        m = re.match(r"Run Time: real ([\d.]+) user ([\d.]+) sys ([\d.]+)", line)
        if m:
            reals.append(float(m.group(1)) * 1000)
            cpus.append((float(m.group(2)) + float(m.group(3))) * 1000)
    if not reals or len(reals) % per:
        sys.exit(f"bench: {path}: {len(reals)} timer lines, expected a multiple of {per}")
    it_real = [sum(reals[i:i + per]) for i in range(0, len(reals), per)][1:]
    it_cpu = [sum(cpus[i:i + per]) for i in range(0, len(cpus), per)][1:]
    out(median=f"{statistics.median(it_real):.3f}", cpu=f"{statistics.median(it_cpu):.3f}")


def cmd_follow(args):
    url, pages = args[0], int(args[1])
    cursor, n = None, 0
    t = time.perf_counter()
    for n in range(pages):
        u = url + ("&after=" + cursor if cursor else "")
        with urllib.request.urlopen(u, timeout=60) as r:
            nxt = json.load(r)["next"]
        if not nxt:
            break
        cursor = nxt
    out(cursor=cursor or "", pages=n + 1,
        ms_per_page=f"{(time.perf_counter() - t) * 1000 / (n + 1):.3f}")


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
    kv = {}
    with open(f"/proc/{args[0]}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            kv[k] = v.strip()
    mib = lambda s: f"{int(s.split()[0]) / 1024:.1f}"
    out(rss_anon=mib(kv["RssAnon"]), hwm=mib(kv["VmHWM"]))


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
    """The figure of a raw SQL timing: the median wall time of the .timer
    lines, or their CPU time when the wall time is too short for the
    timer's 1 ms resolution."""
    real, cpu = float(r["median"]), float(r.get("cpu", r["median"]))
    if real >= 5:
        return real, f"{ms(real)} raw SQL"
    return cpu, f"{ms(cpu)} raw SQL (CPU)"


def pct(ours, ceiling, higher_better):
    ours, ceiling = float(ours), float(ceiling)
    if ours <= 0 or ceiling <= 0:
        return "-"
    return f"{(ours / ceiling if higher_better else ceiling / ours) * 100:.0f}%"


def cmd_report(args):
    rows = [json.loads(l) for l in open(args[0], encoding="utf-8") if l.strip()]
    res = {}
    for r in rows:
        res.setdefault(r["n"], {})[r["key"]] = r
    lines = ["| N | figure | zhaoshang | ceiling | ceiling reached | target |",
             "|---|---|---|---|---|---|"]
    minimal = res.get(0, {})

    def add(n, fig, ours, ceil, p, target=""):
        lines.append(f"| {fmt_n(n)} | {fig} | {ours} | {ceil} | {p} | {target} |")

    def verdict(ok):
        return "met" if ok else "**missed**"

    for n in sorted(k for k in res if k):
        r = res[n]
        if "import" in r:
            imp = r["import"]
            for key, what in (("bare", "bare SQL, indexes row by row"),
                              ("bare_bulk", "bare SQL, indexes built once")):
                bare = r.get(key)
                if not bare:
                    continue
                add(n, "import, rows/s", f"{float(imp['rps']):,.0f} ({float(imp['s']):.1f} s)",
                    f"{float(bare['rps']):,.0f} ({float(bare['s']):.1f} s) {what}",
                    pct(imp["rps"], bare["rps"], True),
                    ">= 100,000 rows/s: " + verdict(float(imp["rps"]) >= 100000))
        floor = float(minimal["minimal_curl"]["median"]) if minimal.get("minimal_curl") else 0.0
        for what, label, files in (
                ("headline", "headline", (("headline_sql", "headline.sql"),
                                          ("headline_onepass_sql", "headline_onepass.sql"))),
                ("warnings", "warnings scan", (("warnings_sql", "warnings.sql"),
                                               ("warnings_open_sql", "warnings_open.sql")))):
            h, cli, hc = r.get(f"{what}_http"), r.get(f"{what}_cli"), r.get(f"{what}_http_cached")
            forms = [(sqlfig(r[k]), k, f) for k, f in files if k in r]
            if not forms:
                continue
            (best, best_text), best_key, best_file = min(forms, key=lambda x: x[0][0])
            if h:
                net = max(0.0, float(h["median"]) - floor)
                add(n, f"{label}: GET, median (net of the {ms(floor)} HTTP floor)",
                    f"{ms(h['median'])} ({ms(net)} net)", best_text.replace("raw SQL", best_file),
                    pct(net, best, False),
                    "no slower than raw SQL: " + verdict(net <= best * 1.10))
                for (v, text), k, f in forms:
                    if k != best_key:
                        add(n, f"{label}: the other raw SQL form", "", text.replace("raw SQL", f),
                            pct(net, v, False))
            sqp = r.get(best_key + "proc")
            if cli and sqp:
                add(n, f"{label}: CLI process, median", ms(cli["median"]),
                    f"{ms(sqp['median'])} sqlite3 process running {best_file}",
                    pct(cli["median"], sqp["median"], False),
                    "no slower than raw SQL: " + verdict(float(cli["median"]) <= float(sqp["median"]) * 1.10))
            if hc:
                big = h and float(h.get("bytes", 0)) > 1 << 20
                add(n, f"{label}: GET of the same URL again" + (" (reply over 1 MiB: not cached)" if big else " (reply cache)"), ms(hc["median"]),
                    f"{ms(floor)} minimal handler" if floor else "", pct(hc["median"], floor, False) if floor else "-")
        for page, label in (("first", "list, first page"), ("deep", "list, deep page"),
                            ("first_cached", "list, first page, cached"),
                            ("deep_cached", "list, deep page, cached")):
            for c in ("8", "64"):
                w = r.get(f"list_{page}_c{c}")
                m = minimal.get(f"minimal_c{c}")
                if not w:
                    continue
                target = ""
                f = r.get(f"list_first_c{c}")
                if page == "deep" and f:
                    ok = float(w["cpu_us"]) <= 1.10 * float(f["cpu_us"])
                    target = ("as fast as the first page (CPU/request): " + verdict(ok) +
                              f", req/s {pct(w['rps'], f['rps'], True)} of the first")
                add(n, f"{label}: wrk -t2 -c{c}",
                    f"{float(w['rps']):,.0f} req/s, p50 {w['p50']} / p99 {w['p99']} ms, "
                    f"{w['cpu_us']} µs CPU/req",
                    (f"{float(m['rps']):,.0f} req/s, p50 {m['p50']} / p99 {m['p99']} ms, "
                     f"{m['cpu_us']} µs CPU/req (minimal MHD)") if m else "",
                    pct(w["rps"], m["rps"], True) if m else "-", target)
            sq = r.get(f"list_{page}_sql")
            if sq:
                v, text = sqlfig(sq)
                add(n, f"{label}: its SQL alone", "", text.replace("raw SQL", "list_first.sql" if page == "first" else "list_after.sql"), "-")
            sp = r.get(f"list_{page}_split_sql")
            if sp:
                v, text = sqlfig(sp)
                add(n, f"{label}: SQL seeking both keyset columns", "", text.replace("raw SQL", "list_after_split.sql"), "-")
        if "rss" in r:
            add(n, "server RssAnon after the load", f"{r['rss']['rss_anon']} MiB",
                f"(VmHWM {r['rss']['hwm']} MiB)", "-")
    if minimal.get("minimal_curl"):
        lines.append("")
        lines.append(f"One curl request to the minimal handler takes {ms(minimal['minimal_curl']['median'])} "
                     "(process start, connection, round trip): the floor under every GET figure above.")
    print("\n".join(lines))


def main():
    cmds = {"wall": cmd_wall, "curl": cmd_curl, "sqltimer": cmd_sqltimer, "follow": cmd_follow,
            "wrk": cmd_wrk, "rss": cmd_rss, "cputicks": cmd_cputicks, "eqp": cmd_eqp, "record": cmd_record, "report": cmd_report}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        sys.exit(__doc__)
    cmds[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
