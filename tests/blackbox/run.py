#!/usr/bin/env python3
"""Runs the black-box tests:

    python3 tests/blackbox/run.py --binary PATH [-k NAME] [--quick]
        [--backend sqlite|postgresql] [--pg-url URL]

--backend postgresql runs every test against a database of its own on a
running PostgreSQL server: --pg-url (default $ZS_TEST_PG_URL) is the URL of a
superuser connection to it, e.g. postgresql://postgres@127.0.0.1:5432/postgres
(tools/pg-cluster start makes such a server)."""
import argparse
import importlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("-k", default="", help="run only tests whose name contains this")
    ap.add_argument("--quick", action="store_true", help="skip tests marked slow")
    ap.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    ap.add_argument("--pg-url", default=os.environ.get("ZS_TEST_PG_URL"),
                    help="admin URL of the PostgreSQL server (default $ZS_TEST_PG_URL)")
    a = ap.parse_args()
    harness.BINARY = os.path.abspath(a.binary)
    harness.BACKEND = a.backend
    if a.backend == "postgresql":
        if not a.pg_url:
            ap.error("--backend postgresql needs --pg-url or ZS_TEST_PG_URL")
        if shutil.which("psql") is None:
            ap.error("--backend postgresql needs psql (postgresql-client)")
        harness.PG_URL = a.pg_url
        try:
            harness.psql(a.pg_url, "SELECT 1")
        except (harness.Failure, subprocess.TimeoutExpired) as e:
            print(f"run.py: cannot reach the PostgreSQL server: {e}", file=sys.stderr)
            sys.exit(1)
    here = os.path.dirname(os.path.abspath(__file__))
    passed = failed = skipped = 0
    start = time.time()
    for fn in sorted(os.listdir(here)):
        if not (fn.startswith("test_") and fn.endswith(".py")):
            continue
        mod = importlib.import_module(fn[:-3])
        for name in sorted(n for n in dir(mod) if n.startswith("test_")):
            test = getattr(mod, name)
            full = f"{fn[:-3]}.{name}"
            if a.k not in full:
                continue
            if a.quick and getattr(test, "slow", False):
                continue
            if not harness.runs_on(test, a.backend):
                skipped += 1
                if os.environ.get("ZS_TEST_VERBOSE"):
                    print(f"  {full} skipped: not for {a.backend}")
                continue
            tmp = tempfile.mkdtemp(prefix="zs-test-")
            t0 = time.time()
            ctx = None
            try:
                ctx = harness.Ctx(tmp)
                test(ctx)
                ctx.close()
                passed += 1
            except Exception as e:  # noqa: BLE001
                try:
                    if ctx:
                        ctx.close()
                except Exception:  # noqa: BLE001
                    pass
                failed += 1
                print(f"FAIL {full}: {e}")
                if not isinstance(e, harness.Failure):
                    traceback.print_exc()
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            if os.environ.get("ZS_TEST_VERBOSE"):
                print(f"  {full} {time.time() - t0:.2f}s")
    try:
        harness.Ctx.drop_demo()
    except harness.Failure as e:
        print(f"FAIL dropping the demo database: {e}")
        failed += 1
    print(f"black-box tests on {a.backend} ({time.time() - start:.0f}s):")
    if skipped:
        print(f"{skipped} skipped (not for {a.backend})")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed or passed == 0 else 0)


if __name__ == "__main__":
    main()
