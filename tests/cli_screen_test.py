#!/usr/bin/env python3
"""CLI behaviour of `dualuse screen --input` (spec sections 5 and 8).

usage: cli_screen_test.py DUALUSE_BINARY LISTS_DIR (the bundled lists, build/data/lists)

A CSV row that cannot be screened is answered in its place (an error object,
or the csv `error` column) and the other rows are screened: exit 4. A date
with a one-digit month or day is a date. --fail-on gives exit 3 after all
output, and wins over 4. A file without a name column stays exit 2. A
recorded screening raises review items, as POST /screen does.
"""
import csv, io, json, os, subprocess, sys, tempfile

dualuse, lists_dir = sys.argv[1], sys.argv[2]
UN = os.path.join(lists_dir, "un_sc", "un_consolidated_2026-02-27.xml")
failures = []


def check(name, cond, detail=""):
    if not cond:
        failures.append(f"{name}: {detail}")


def screen(text, *args):
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        f.write(text)
        path = f.name
    try:
        return subprocess.run([dualuse, "screen", "--input", path, "--list", UN, "--no-record"]
                              + list(args), capture_output=True, text=True, timeout=300)
    finally:
        os.unlink(path)


ROWS = ("id,name,birth_date,schema\n"
        "1,Korea Mining Development Trading Corporation,,\n"
        "2,John Smith,1971-3-5,Person\n"
        "3,,1970,\n"
        "4,Jane Doe,1971-13-5,Person\n"
        "5,Acme,,Spaceship\n")

# (name, extra args, exit code)
for name, args, code in [
    ("rejected rows", [], 4),
    ("fail-on hit wins over 4", ["--fail-on", "hit"], 3),
    ("fail-on not met", ["--fail-on", "potential_match"], 4),
]:
    p = screen(ROWS, *args)
    check(name, p.returncode == code, f"exit {p.returncode}: {p.stderr}")
    check(name, "3 of 5 rows rejected" in p.stderr, p.stderr)
    out = [json.loads(l) for l in p.stdout.splitlines()]
    check(name, len(out) == 5, out)
    if len(out) == 5:
        check(name, out[0]["status"] == "hit", out[0])
        check(name + ": 1971-3-5", out[1]["status"] == "clear" and "error" not in out[1], out[1])
        for i, path in [(2, "name"), (3, "birth_date"), (4, "schema")]:
            e = out[i].get("error", {})
            check(f"{name}: row {i + 2}", out[i].get("line") == i + 2 and e.get("path") == path
                  and e.get("code") == "invalid_request", out[i])

p = screen(ROWS, "--format", "csv")
check("csv exit", p.returncode == 4, p.stderr)
rows = list(csv.DictReader(io.StringIO(p.stdout)))
check("csv rows", len(rows) == 5 and "error" in rows[0], rows)
if len(rows) == 5:
    check("csv screened row", rows[0]["status"] == "hit" and rows[0]["error"] == "", rows[0])
    check("csv error row", rows[3]["status"] == "error" and "birth_date" in rows[3]["error"]
          and "1971-13-5" in rows[3]["error"], rows[3])

# Recorded: the screening record raises review items, as POST /screen does.
with tempfile.TemporaryDirectory() as d:
    with open(os.path.join(d, "in.csv"), "w") as f:
        f.write(ROWS)
    p = subprocess.run([dualuse, "screen", "--input", os.path.join(d, "in.csv"), "--list", UN,
                        "--data-dir", d], capture_output=True, text=True, timeout=300)
    check("recorded screening", p.returncode == 4, p.stderr)
    q = subprocess.run([dualuse, "review", "list", "--format", "json", "--data-dir", d],
                       capture_output=True, text=True, timeout=60)
    items = json.loads(q.stdout) if q.returncode == 0 else []
    check("review items raised", any(i.get("list") == "un_sc" and i.get("kind") == "hit"
                                     for i in items), q.stdout[:300] + q.stderr)
p = screen("id,name\n1,Korea Mining Development Trading Corporation\n", "--fail-on", "hit")
check("fail-on alone", p.returncode == 3 and p.stdout.strip(), f"exit {p.returncode}: {p.stderr}")
p = screen("id,who\n1,x\n")
check("no name column", p.returncode == 2 and p.stdout == "" and "name" in p.stderr, p.stderr)
p = screen("id,name\n1,x\n", "--fail-on", "maybe")
check("fail-on unknown word", p.returncode == 2 and '"maybe"' in p.stderr, p.stderr)

for f in failures:
    print("FAIL", f)
print(f"{len(failures)} failures")
sys.exit(1 if failures else 0)
