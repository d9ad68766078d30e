#!/usr/bin/env python3
"""Where the data directory is (spec sections 1 and 8).

usage: cli_data_dir_test.py DUALUSE_BINARY SOURCE_DIR

--data-dir wins, then $DUALUSE_DATA, then $XDG_DATA_HOME/dualuse, then
~/.local/share/dualuse; never the working directory. Each row runs a recorded
assessment from an empty working directory and checks where its store landed.
"""
import json, os, subprocess, sys, tempfile

dualuse, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
request = json.load(open(os.path.join(src, "examples", "seed-case-3894.json")))
failures = []

# (name, extra arguments, environment (relative to the temporary root), expected store dir)
ROWS = [
    ("--data-dir wins over everything", ["--data-dir", "{root}/flag"],
     {"DUALUSE_DATA": "{root}/env", "XDG_DATA_HOME": "{root}/xdg", "HOME": "{root}/home"}, "flag"),
    ("$DUALUSE_DATA before XDG", [],
     {"DUALUSE_DATA": "{root}/env", "XDG_DATA_HOME": "{root}/xdg", "HOME": "{root}/home"}, "env"),
    ("$XDG_DATA_HOME/dualuse", [], {"XDG_DATA_HOME": "{root}/xdg", "HOME": "{root}/home"},
     "xdg/dualuse"),
    ("~/.local/share/dualuse", [], {"HOME": "{root}/home"}, "home/.local/share/dualuse"),
    ("a relative XDG_DATA_HOME is ignored (XDG Base Directory Specification)", [],
     {"XDG_DATA_HOME": "relative", "HOME": "{root}/home"}, "home/.local/share/dualuse"),
]

for name, args, env_template, expected in ROWS:
    with tempfile.TemporaryDirectory() as root:
        cwd = os.path.join(root, "cwd")
        os.makedirs(cwd)
        env = {k: v for k, v in os.environ.items()
               if k not in ("DUALUSE_DATA", "XDG_DATA_HOME", "HOME")}
        env.update({k: v.format(root=root) for k, v in env_template.items()})
        p = subprocess.run([dualuse, "assess", "--format", "json", *[a.format(root=root) for a in args], "-"],
                           input=json.dumps(request), capture_output=True, text=True, cwd=cwd,
                           env=env, timeout=120)
        if p.returncode != 0:
            failures.append(f"{name}: exit {p.returncode}: {p.stderr.strip()[:300]}")
            continue
        store = os.path.join(root, expected, "dualuse.db")
        if not os.path.isfile(store):
            found = [os.path.relpath(os.path.join(d, f), root)
                     for d, _, fs in os.walk(root) for f in fs if f == "dualuse.db"]
            failures.append(f"{name}: no store at {expected}/dualuse.db (found: {found})")
        if os.listdir(cwd):
            failures.append(f"{name}: wrote into the working directory: {os.listdir(cwd)}")

for f in failures:
    print("FAIL", f)
failed_rows = len({f.split(":")[0] for f in failures})
print(f"{len(ROWS) - failed_rows} passed, {failed_rows} failed")
sys.exit(1 if failures else 0)
