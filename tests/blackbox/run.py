#!/usr/bin/env python3
"""Runs the black-box tests: python3 tests/blackbox/run.py --binary PATH [-k NAME] [--quick]."""
import argparse
import importlib
import os
import shutil
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
    a = ap.parse_args()
    harness.BINARY = os.path.abspath(a.binary)
    here = os.path.dirname(os.path.abspath(__file__))
    passed = failed = 0
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
            tmp = tempfile.mkdtemp(prefix="zs-test-")
            ctx = harness.Ctx(tmp)
            t0 = time.time()
            try:
                test(ctx)
                ctx.close()
                passed += 1
            except Exception as e:  # noqa: BLE001
                try:
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
    if harness.Ctx.demo_cache:
        shutil.rmtree(os.path.dirname(harness.Ctx.demo_cache), ignore_errors=True)
    print(f"black-box tests ({time.time() - start:.0f}s):")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed or passed == 0 else 0)


if __name__ == "__main__":
    main()
