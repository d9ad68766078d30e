#!/usr/bin/env python3
"""Runs the conformance cases of the shared material (SHARED_DIR/cases) with its own check.py.

usage: shared_cases_test.py DUALUSE SHARED_DIR

The repository carries copies of these cases in tests/conformance/ (the test conformance_cases);
this one runs the originals, so that a case added there is run before it is copied here. When
SHARED_DIR is absent it says so and exits 77 (ctest: skipped), except under CI=true, where the
shared material must be there and its absence fails the test.
"""
import os
import subprocess
import sys


def main():
    if len(sys.argv) != 3:
        print("usage: shared_cases_test.py DUALUSE SHARED_DIR", file=sys.stderr)
        return 2
    dualuse, shared = sys.argv[1], sys.argv[2]
    check = os.path.join(shared, "cases", "check.py")
    if not os.path.isfile(check):
        if os.environ.get("CI") == "true":
            print(f"FAIL {check}: the shared cases are not beside the checkout (CI=true)")
            return 1
        print(f"skipped: {check} is absent")
        return 77
    return subprocess.run([sys.executable, check, "--dualuse", dualuse, "--shared", shared,
                           os.path.join(shared, "cases")]).returncode


if __name__ == "__main__":
    sys.exit(main())
