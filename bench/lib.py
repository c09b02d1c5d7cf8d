#!/usr/bin/env python3
"""Helpers of bench/run (python3 stdlib only).

    lib.py wall REPEAT -- CMD...        median and min wall time of CMD (ms)
    lib.py curl REPEAT URL              median and min of curl's time_total (ms)
    lib.py sqltimer STATEMENTS FILE     median per-iteration sum of the
                                        sqlite3 `.timer` lines (ms), the first
                                        iteration dropped as a warm-up
    lib.py follow URL PAGES             follows "next" cursors PAGES pages deep,
                                        prints the cursor reached
    lib.py wrk FILE                     req/s, p50 and p99 (ms) from wrk --latency
    lib.py rss PID                      RssAnon and VmHWM of a process (MiB)
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
    times, size = [], 0
    for _ in range(repeat):
        r = subprocess.run(["curl", "-sS", "--max-time", "300", "-o", "/dev/null", "-w",
                            "%{http_code} %{time_total} %{size_download}", url],
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
    errs = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    sock = re.search(r"Socket errors: (.*)", text)
    if not rps:
        sys.exit(f"bench: no wrk result in {args[0]}")
    out(rps=f"{float(rps.group(1)):.0f}", p50=f"{to_ms(p50.group(1)):.3f}",
        p99=f"{to_ms(p99.group(1)):.3f}", non2xx=errs.group(1) if errs else 0,
        sockerr=(sock.group(1).replace(" ", "").replace(",", "/") if sock else "none"))


def cmd_rss(args):
    kv = {}
    with open(f"/proc/{args[0]}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            kv[k] = v.strip()
    mib = lambda s: f"{int(s.split()[0]) / 1024:.1f}"
    out(rss_anon=mib(kv["RssAnon"]), hwm=mib(kv["VmHWM"]))


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
    return f"{v:.1f} ms" if v >= 10 else f"{v:.2f} ms"


def ratio(ours, ceiling, higher_better):
    ours, ceiling = float(ours), float(ceiling)
    if ours <= 0 or ceiling <= 0:
        return "-"
    return f"{(ours / ceiling if higher_better else ceiling / ours) * 100:.0f}%"


def cmd_report(args):
    rows = [json.loads(l) for l in open(args[0], encoding="utf-8") if l.strip()]
    res = {}
    for r in rows:
        res.setdefault(r["n"], {})[r["key"]] = r
    lines = ["| N | figure | zhaoshang | ceiling | ours / ceiling | target |",
             "|---|---|---|---|---|---|"]
    minimal = res.get(0, {})

    def add(n, fig, ours, ceil, pct, target=""):
        lines.append(f"| {fmt_n(n)} | {fig} | {ours} | {ceil} | {pct} | {target} |")

    for n in sorted(k for k in res if k):
        r = res[n]
        if "import" in r:
            imp, bare = r["import"], r.get("bare", {})
            ok = float(imp["rps"]) >= 100000
            add(n, "import (rows/s)", f"{float(imp['rps']):,.0f} ({float(imp['s']):.1f} s)",
                f"{float(bare.get('rps', 0)):,.0f} ({float(bare.get('s', 0)):.1f} s) bare SQL",
                ratio(imp["rps"], bare.get("rps", 0), True),
                ">= 100,000 rows/s: " + ("met" if ok else "**missed**"))
        for what, label in (("headline", "headline"), ("warnings", "warnings scan")):
            h, cli, sq, sqp = (r.get(f"{what}_http"), r.get(f"{what}_cli"),
                               r.get(f"{what}_sql"), r.get(f"{what}_sqlproc"))
            if h and sq:
                ok = float(h["median"]) <= float(sq["median"]) * 1.10
                add(n, f"{label}, HTTP GET (median)", ms(h["median"]),
                    f"{ms(sq['median'])} raw SQL (.timer)", ratio(h["median"], sq["median"], False),
                    "no slower than raw SQL: " + ("met" if ok else "**missed**"))
            if cli and sqp:
                add(n, f"{label}, CLI process (median)", ms(cli["median"]),
                    f"{ms(sqp['median'])} sqlite3 process", ratio(cli["median"], sqp["median"], False))
            if what == "warnings" and r.get("warnings_open_sql"):
                o = r["warnings_open_sql"]
                add(n, "warnings scan, partial-index SQL", "",
                    f"{ms(o['median'])} raw SQL (.timer)", ratio(h["median"], o["median"], False) if h else "-")
        for page, label in (("first", "list, first page"), ("deep", "list, deep page")):
            for c in ("8", "64"):
                w = r.get(f"list_{page}_c{c}")
                m = minimal.get(f"minimal_c{c}")
                if not w:
                    continue
                target = ""
                if page == "deep":
                    f = r.get(f"list_first_c{c}")
                    if f:
                        ok = float(w["rps"]) >= 0.9 * float(f["rps"])
                        target = "as fast as the first page: " + ("met" if ok else "**missed**")
                add(n, f"{label}, wrk -c{c} (req/s, p50/p99)",
                    f"{float(w['rps']):,.0f} ({w['p50']}/{w['p99']} ms)",
                    f"{float(m['rps']):,.0f} ({m['p50']}/{m['p99']} ms) minimal MHD" if m else "",
                    ratio(w["rps"], m["rps"], True) if m else "-", target)
            sq = r.get(f"list_{page}_sql")
            if sq:
                add(n, f"{label}, SQL alone", "", f"{ms(sq['median'])} raw SQL (.timer)", "-")
        if "rss" in r:
            add(n, "server RssAnon after the load", f"{r['rss']['rss_anon']} MiB",
                f"(VmHWM {r['rss']['hwm']} MiB)", "-")
    print("\n".join(lines))


def main():
    cmds = {"wall": cmd_wall, "curl": cmd_curl, "sqltimer": cmd_sqltimer, "follow": cmd_follow,
            "wrk": cmd_wrk, "rss": cmd_rss, "record": cmd_record, "report": cmd_report}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        sys.exit(__doc__)
    cmds[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
