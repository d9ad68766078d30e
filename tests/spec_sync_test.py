#!/usr/bin/env python3
"""The repository's copies of the shared contract stay in step with it.

usage: spec_sync_test.py SOURCE_DIR [SHARED_DIR]

Checks, when SHARED_DIR (default: SOURCE_DIR/../shared) is present:
  docs/spec.md, below its line "<!-- spec: verbatim below -->", equals spec/README.md;
  tests/conformance/ holds every case of cases/*.json and cases/check.py, byte for byte
  (tests/conformance/ may hold more cases of its own).
Prints one line per difference and exits 1 if there is any. When SHARED_DIR is absent it
says so and exits 77 (ctest: skipped), except under CI=true, where the shared material must
be there and its absence fails the test.
"""
import os
import sys

MARKER = "<!-- spec: verbatim below -->\n"


def read(path):
    with open(path, "rb") as f:
        return f.read()


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    source = sys.argv[1]
    shared = sys.argv[2] if len(sys.argv) == 3 else os.path.join(source, "..", "shared")
    if not os.path.isdir(shared):
        if os.environ.get("CI") == "true":
            print(f"FAIL {shared}: the shared contract is not beside the checkout (CI=true)")
            return 1
        print(f"skipped: {shared} is absent; nothing to compare against")
        return 77
    problems = []
    spec = read(os.path.join(source, "docs", "spec.md")).decode("utf-8")
    if MARKER not in spec:
        problems.append(f"docs/spec.md: no line {MARKER.strip()!r} before the verbatim contract")
    else:
        ours = spec.split(MARKER, 1)[1].encode("utf-8")
        theirs = read(os.path.join(shared, "spec", "README.md"))
        if ours != theirs:
            a, b = ours.decode().splitlines(), theirs.decode().splitlines()
            line = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            problems.append(f"docs/spec.md differs from {shared}/spec/README.md from line "
                            f"{line + 1} of the contract ({len(a)} lines here, {len(b)} there)")
    cases = os.path.join(shared, "cases")
    for name in sorted(os.listdir(cases)):
        if not (name.endswith(".json") or name == "check.py"):
            continue
        ours = os.path.join(source, "tests", "conformance", name)
        if not os.path.exists(ours):
            problems.append(f"tests/conformance/{name}: missing (present in {cases})")
        elif read(ours) != read(os.path.join(cases, name)):
            problems.append(f"tests/conformance/{name}: differs from {cases}/{name}")
    for p in problems:
        print("FAIL " + p)
    print(f"{len(problems)} difference(s) from {shared}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
