"""The Debian package: tools/make-deb builds it from the binary under test; the
tests read it with dpkg-deb, extract it into the test's folder and run the
extracted binary. Nothing is installed on the machine: the maintainer scripts
run against stand-ins for the system commands, with their paths moved into the
test's folder."""
import hashlib
import os
import re
import shutil
import stat
import subprocess

import harness
from harness import check, eq

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MAKE_DEB = os.path.join(ROOT, "tools", "make-deb")
SCRIPTS = ("postinst", "prerm", "postrm")


def run(*cmd, check_rc=0, env=None):
    p = subprocess.run(cmd, capture_output=True, env=env)
    r = harness.Result(p.returncode, p.stdout.decode("utf-8", "replace"),
                       p.stderr.decode("utf-8", "replace"))
    if check_rc is not None and r.rc != check_rc:
        raise harness.Failure(f"{' '.join(cmd)}: exit {r.rc}, want {check_rc}: {r!r}")
    return r


def makefile_version():
    with open(os.path.join(ROOT, "Makefile"), encoding="utf-8") as f:
        m = re.search(r"^VERSION\s*:?=\s*(\S+)", f.read(), re.M)
    check(m, "VERSION line in the Makefile")
    return m.group(1)


def build(ctx, *extra):
    """Builds the package into ctx.tmp; returns its path (make-deb's last line)."""
    r = run(MAKE_DEB, "--binary", harness.BINARY, "--out", ctx.tmp, *extra)
    path = r.out.strip().splitlines()[-1]
    check(os.path.isfile(path), f"make-deb names a file on its last line: {r!r}")
    return path


def fields(deb):
    out = run("dpkg-deb", "-f", deb).out
    f, key = {}, None
    for line in out.splitlines():
        if line.startswith(" ") and key:
            f[key] += "\n" + line
        else:
            key, _, value = line.partition(":")
            f[key] = value.strip()
    return f


def test_deb_package(ctx):
    deb = build(ctx)
    version = makefile_version()
    arch = run("dpkg", "--print-architecture").out.strip()
    eq(os.path.basename(deb), f"zhaoshang_{version}_{arch}.deb", "file name")
    eq(os.path.dirname(deb), ctx.tmp, "written to --out")

    f = fields(deb)
    eq(f.get("Package"), "zhaoshang", "Package")
    eq(f.get("Version"), version, "Version")
    eq(f.get("Architecture"), arch, "Architecture")
    check(f.get("Maintainer"), "Maintainer")
    check(f.get("Description", "").startswith("招商引资"), f"Description: {f.get('Description')!r}")
    depends = [d.strip().split(" ")[0] for d in f.get("Depends", "").split(",")]
    for want in ("libmicrohttpd", "libsqlite3", "libc6", "adduser"):
        check(any(d.startswith(want) for d in depends), f"Depends names {want}: {depends}")

    listing = run("dpkg-deb", "-c", deb).out
    entries = {}
    for line in listing.splitlines():
        parts = line.split()
        entries[parts[-1]] = (parts[0], parts[1])
    for path, mode in (("./usr/bin/zhaoshang", "-rwxr-xr-x"),
                       ("./lib/systemd/system/zhaoshang.service", "-rw-r--r--"),
                       ("./etc/zhaoshang/zhaoshang.conf", "-rw-r--r--"),
                       ("./usr/share/doc/zhaoshang/README.md", "-rw-r--r--"),
                       ("./usr/share/doc/zhaoshang/deploy.md", "-rw-r--r--"),
                       ("./usr/share/doc/zhaoshang/copyright", "-rw-r--r--")):
        check(path in entries, f"package holds {path}: {listing}")
        eq(entries[path], (mode, "root/root"), path)
    check(all(owner == "root/root" for _, owner in entries.values()), "everything owned by root")

    control = ctx.path("control")
    run("dpkg-deb", "-e", deb, control)
    with open(os.path.join(control, "conffiles"), encoding="utf-8") as fh:
        eq(fh.read().split(), ["/etc/zhaoshang/zhaoshang.conf"], "conffiles")
    for s in SCRIPTS:
        p = os.path.join(control, s)
        check(os.stat(p).st_mode & stat.S_IXUSR, f"{s} is executable")
        run("sh", "-n", p)

    tree = ctx.path("root")
    run("dpkg-deb", "-x", deb, tree)
    with open(os.path.join(control, "md5sums"), encoding="utf-8") as fh:
        sums = dict(reversed(line.split(None, 1)) for line in fh.read().splitlines())
    check("usr/bin/zhaoshang" in sums, f"md5sums lists the binary: {sorted(sums)}")
    for rel, digest in sums.items():
        with open(os.path.join(tree, rel), "rb") as fh:
            eq(hashlib.md5(fh.read()).hexdigest(), digest, f"md5sum of {rel}")

    binary = os.path.join(tree, "usr", "bin", "zhaoshang")
    check(os.path.getsize(binary) <= os.path.getsize(harness.BINARY), "the packaged binary is stripped")
    env = {k: v for k, v in os.environ.items() if k != "ZHAOSHANG_DB"}
    env["ZHAOSHANG_NOW"] = ctx.now
    db = "sqlite:" + ctx.path("x.db")
    r = run(binary, "--db", db, "init", env=env)
    check(os.path.isfile(ctx.path("x.db")), f"init created the database: {r!r}")
    r = run(binary, "--db", db, "report", "headline", "--json", "--year", "2023", env=env)
    h = r.json()
    eq(h["year"], 2023, "headline year")
    eq(h["out_of_province_100m"]["count"], 0, "no projects yet")
    eq(run(binary, "--version", env=env).out.strip(), f"zhaoshang {version}", "--version")

    with open(os.path.join(tree, "etc", "zhaoshang", "zhaoshang.conf"), encoding="utf-8") as fh:
        conf = dict(line.split("=", 1) for line in fh.read().splitlines()
                    if line and not line.startswith("#"))
    eq(conf, {"ZHAOSHANG_DB": "sqlite:/var/lib/zhaoshang/zhaoshang.db",
              "ZHAOSHANG_LISTEN": "127.0.0.1:8080", "ZHAOSHANG_THREADS": "4",
              "ZHAOSHANG_TRUSTED_PROXIES": "127.0.0.1"}, "configuration")
    with open(os.path.join(tree, "lib", "systemd", "system", "zhaoshang.service"), encoding="utf-8") as fh:
        unit = fh.read()
    for want in ("User=zhaoshang", "EnvironmentFile=/etc/zhaoshang/zhaoshang.conf",
                 "ExecStart=/usr/bin/zhaoshang serve --listen ${ZHAOSHANG_LISTEN} "
                 "--threads ${ZHAOSHANG_THREADS}",
                 "StateDirectory=zhaoshang", "Restart=on-failure", "ProtectSystem=strict",
                 "ReadWritePaths=/var/lib/zhaoshang", "WantedBy=multi-user.target"):
        check(want in unit.splitlines(), f"unit has {want}")


def test_deb_version_option(ctx):
    deb = build(ctx, "--version", "1.2.3-4")
    arch = run("dpkg", "--print-architecture").out.strip()
    eq(os.path.basename(deb), f"zhaoshang_1.2.3-4_{arch}.deb", "file name")
    eq(fields(deb).get("Version"), "1.2.3-4", "Version")


def test_deb_missing_binary(ctx):
    r = run(MAKE_DEB, "--binary", ctx.path("nosuch"), "--out", ctx.tmp, check_rc=None)
    check(r.rc != 0, f"exit status: {r!r}")
    eq(len(r.err.strip().splitlines()), 1, f"one error line: {r.err!r}")
    check("nosuch" in r.err, "the error names the binary")
    eq(r.out, "", "nothing on stdout")
    eq([n for n in os.listdir(ctx.tmp) if n.endswith(".deb")], [], "no package written")
    eq(run(MAKE_DEB, "--frobnicate", check_rc=None).rc, 2, "unknown option")


# Stand-ins for the commands the maintainer scripts call: each logs its argv;
# getent knows the users listed in $ZS_USERS, runuser runs what follows "--".
STUB = """#!/bin/sh
echo "$(basename "$0") $*" >> "$ZS_LOG"
case "$(basename "$0")" in
getent) for u in $ZS_USERS; do [ "$2" = "$u" ] && exit 0; done; exit 2 ;;
dpkg-statoverride) exit 1 ;;
runuser) while [ "$1" != "--" ]; do shift; done; shift; exec "$@" ;;
systemctl) [ "$1" = "--quiet" ] && [ "$2" = "is-enabled" ] && exit "${ZS_ENABLED:-0}" ;;
esac
exit 0
"""


def maintainer_env(ctx, deb):
    """Extracts deb, rewrites its maintainer scripts and configuration to keep
    every system path inside ctx.tmp, and puts the stand-ins first on PATH.
    Returns (scripts folder, sandbox root, environment)."""
    control, tree = ctx.path("control"), ctx.path("root")
    run("dpkg-deb", "-e", deb, control)
    run("dpkg-deb", "-x", deb, tree)
    box = ctx.path("box")
    moves = {"/var/lib/zhaoshang": box + "/var/lib/zhaoshang",
             "/etc/zhaoshang": tree + "/etc/zhaoshang",
             "/etc/systemd": box + "/etc/systemd",
             "/run/systemd/system": box + "/run/systemd/system",
             "/usr/bin/zhaoshang": tree + "/usr/bin/zhaoshang"}
    for name in (*SCRIPTS, "../root/etc/zhaoshang/zhaoshang.conf"):
        p = os.path.join(control, name)
        with open(p, encoding="utf-8") as fh:
            text = fh.read()
        for old, new in moves.items():
            text = text.replace(old, new)
        with open(p, "w", encoding="utf-8") as fh:
            fh.write(text)
    stubs = ctx.path("stubs")
    os.makedirs(stubs)
    for c in ("adduser", "addgroup", "usermod", "getent", "chown", "dpkg-statoverride",
              "runuser", "systemctl"):
        with open(os.path.join(stubs, c), "w", encoding="utf-8") as fh:
            fh.write(STUB)
        os.chmod(os.path.join(stubs, c), 0o755)
    env = {k: v for k, v in os.environ.items() if k != "ZHAOSHANG_DB"}
    env.update(PATH=stubs + ":" + os.environ["PATH"], ZS_LOG=ctx.path("log"),
               ZHAOSHANG_NOW=ctx.now, ZS_USERS="")
    return control, box, env


def calls(ctx):
    if not os.path.exists(ctx.path("log")):
        return []
    with open(ctx.path("log"), encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    os.remove(ctx.path("log"))
    return lines


def test_deb_maintainer_scripts(ctx):
    deb = build(ctx)
    control, box, env = maintainer_env(ctx, deb)
    postinst = os.path.join(control, "postinst")
    state = box + "/var/lib/zhaoshang"
    db = state + "/zhaoshang.db"

    # First install, systemd not running: user, folder, database; no systemctl.
    r = run(postinst, "configure", "", env=env)
    log = calls(ctx)
    check(any(c.startswith("adduser --quiet --system --group --home " + state) for c in log),
          f"adduser: {log}")
    check(os.path.isdir(state), "state folder")
    check(os.path.isfile(db), f"database created: {r!r}")
    check(f"runuser -u zhaoshang -- {ctx.path('root')}/usr/bin/zhaoshang --db sqlite:{db} init"
          in log, f"init as the service user: {log}")
    check(not any(c.startswith("systemctl") for c in log), f"no systemctl without systemd: {log}")

    # Upgrade with systemd running, the user there, the database there: no
    # adduser, no init; restart because the unit is enabled.
    os.makedirs(box + "/run/systemd/system")
    env["ZS_USERS"] = "zhaoshang"
    with open(db, "rb") as fh:
        before = fh.read()
    run(postinst, "configure", "0.0.9", env=env)
    log = calls(ctx)
    check(not any(c.startswith(("adduser", "runuser")) for c in log), f"nothing to create: {log}")
    check("systemctl enable zhaoshang.service" not in log, f"no enable on upgrade: {log}")
    check("systemctl restart zhaoshang.service" in log, f"restart on upgrade: {log}")
    with open(db, "rb") as fh:
        eq(fh.read(), before, "database untouched")

    # First install with systemd: enabled; a unit masked meanwhile stays down.
    os.remove(db)
    env["ZS_ENABLED"] = "1"
    conf = ctx.path("root") + "/etc/zhaoshang/zhaoshang.conf"
    with open(conf, encoding="utf-8") as fh:
        text = fh.read()
    with open(conf, "w", encoding="utf-8") as fh:
        fh.write(text + "ZHAOSHANG_DB='postgresql://zhaoshang@db1,db2/zhaoshang"
                        "?target_session_attrs=read-write&connect_timeout=5'\n")
    run(postinst, "configure", "", env=env)
    log = calls(ctx)
    check("systemctl enable zhaoshang.service" in log, f"enable on install: {log}")
    check("systemctl restart zhaoshang.service" not in log, f"not started when disabled: {log}")
    check(not os.path.exists(db), "no SQLite file when the configuration names PostgreSQL")

    run(os.path.join(control, "prerm"), "upgrade", "0.2.0", env=env)
    check(not any("stop" in c for c in calls(ctx)), "an upgrade does not stop the server")
    run(os.path.join(control, "prerm"), "remove", env=env)
    check("systemctl stop zhaoshang.service" in calls(ctx), "remove stops the server")
    os.makedirs(state, exist_ok=True)
    r = run(os.path.join(control, "postrm"), "purge", env=env)
    check(os.path.isdir(state), "purge keeps the database folder")
    check("kept" in r.err, f"purge says what it keeps: {r!r}")
    eq(run(postinst, "bogus", env=env, check_rc=None).rc, 1, "unknown postinst argument")


# The package tests do not depend on the database backend: run them once.
for _t in (test_deb_package, test_deb_version_option, test_deb_missing_binary,
           test_deb_maintainer_scripts):
    _t.backends = ("sqlite",)
del _t
