#!/usr/bin/env python3
"""CLI behaviour of `dualuse assess` and `dualuse law` (spec sections 1 and 7).

usage: cli_assess_test.py DUALUSE_BINARY SOURCE_DIR

Malformed input: exit code 2, exactly one line on stderr of the form
"error: <file>: <place>: <expectation>", nothing on stdout. A batch with bad
lines: each answered in its place by an error object, exit 4. Good input: exit 0
and one determination per request, in the shape asked for; --fail-on: exit 3.
"""
import json, os, subprocess, sys, tempfile

dualuse, src = sys.argv[1], sys.argv[2]
failures = []

BASE = {
    "schema": "dualuse.assessment/1", "reference": "CLI", "date": "2026-11-28",
    "activity": "export", "exporter": {"name": "Example B.V.", "country": "NL", "has_icp": True},
    "destination": "JP",
    "items": [{"id": "1", "kind": "goods", "control_entries": ["5A001.j"], "cyber_surveillance": True}],
    "parties": [{"role": "end_user", "name": "Example K.K.", "country": "JP", "sector": "telecom_operator"}],
    "knowledge": {"informed": [], "aware": [], "suspects": []},
}


def run(args, stdin=None):
    return subprocess.run([dualuse] + args, input=stdin, capture_output=True, text=True, timeout=120)


def check(name, cond, detail=""):
    if not cond:
        failures.append(f"{name}: {detail}")


def expect_bad(name, text, want, args=("assess", "-"), fname="<stdin>"):
    p = run(list(args), text)
    lines = p.stderr.splitlines()
    check(name, p.returncode == 2, f"exit {p.returncode}, stderr {p.stderr!r}")
    check(name, p.stdout == "", f"stdout not empty: {p.stdout[:200]!r}")
    check(name, len(lines) == 1, f"expected one stderr line, got {lines!r}")
    if lines:
        check(name, lines[0].startswith(f"error: {fname}: "), lines[0])
        check(name, want in lines[0], f"{want!r} not in {lines[0]!r}")


def with_(**kw):
    r = json.loads(json.dumps(BASE))
    r.update(kw)
    return json.dumps(r)


item = lambda **kw: [dict(BASE["items"][0], **kw)]
expect_bad("unknown Annex I entry", with_(items=item(control_entries=["5A999"])),
           '$.items[0].control_entries[0]: "5A999" is not an Annex I entry')
expect_bad("malformed entry", with_(items=item(control_entries=["5A01.j"])),
           '$.items[0].control_entries[0]: "5A01.j" is not an Annex I entry')
expect_bad("bad country", with_(destination="Japan"), '$.destination: "Japan" is not an ISO 3166-1')
expect_bad("unknown country", with_(destination="XX"), '$.destination: "XX" is not an ISO 3166-1')
expect_bad("bad date", with_(date="2026-13-01"), "$.date: expected a date YYYY-MM-DD")
expect_bad("unknown enum", with_(activity="gift"), "$.activity: expected one of export")
expect_bad("wrong type", with_(items="5A001.j"), "$.items: expected an array, got a string")
expect_bad("not JSON", "{\"schema\": ", "expected a JSON request")
expect_bad("empty", "", "the input is empty")


def expect_batch(name, text, args, rejected, answered, want_path, want_message, jsonl):
    """Spec section 8: a bad line of a batch is answered in its place, the rest go on; exit 4."""
    p = run(list(args), text)
    check(name, p.returncode == 4, f"exit {p.returncode}, stderr {p.stderr!r}")
    check(name, f"{rejected} of {rejected + answered} requests rejected" in p.stderr, p.stderr)
    try:
        out = [json.loads(l) for l in p.stdout.splitlines()] if jsonl else json.loads(p.stdout)
    except json.JSONDecodeError as e:
        check(name, False, f"stdout is not JSON: {e}: {p.stdout[:300]!r}")
        return []
    errors = [o for o in out if "error" in o]
    check(name, len(out) == rejected + answered and len(errors) == rejected, out)
    for e in errors:
        check(name, e["error"]["code"] == "invalid_request", e)
        check(name, want_path is None or e["error"]["path"] == want_path, e)
        check(name, want_message in e["error"]["message"], e)
    return out


# Spec section 8: one bad line does not sink a batch.
got = expect_batch("array element", "[" + with_() + "," + with_(destination="ZZ") + "]",
                   ("assess", "--no-record", "-"), 1, 1, "$.destination", '"ZZ"', jsonl=False)
if got:
    check("array element in place", got[1].get("line") == 2 and got[0]["verdict"], got)
got = expect_batch("json lines",
                   with_() + "\n" + with_(items=item(kind="service")) + "\n{not json\n" + with_() + "\n",
                   ("assess", "--no-record", "-"), 2, 2, None, "", jsonl=True)
if got:
    check("json lines order", [o.get("line") for o in got] == [None, 2, 3, None], got)
    check("json lines path", got[1]["error"]["path"] == "$.items[0].kind" and
          "expected one of goods, software, technology" in got[1]["error"]["message"], got[1])
    check("json lines not JSON", got[2]["error"]["path"] == "$" and
          "invalid JSON" in got[2]["error"]["message"], got[2])
# A single invalid request stays exit 2 (above); a one-line file is a single request.
expect_bad("one line", with_(destination="ZZ") + "\n", '$.destination: "ZZ"')

# --fail-on: exit 3 after all output; 3 wins over 4; unknown words are exit 2.
for name, args, text, code, count in [
    ("fail-on no match", ["--fail-on", "prohibited"], with_(), 0, 1),
    ("fail-on verdict", ["--fail-on", "prohibited,general_authorisation"], with_(), 3, 1),
    ("fail-on status", ["--fail-on", "not_screened"], with_() + "\n" + with_() + "\n", 3, 2),
    ("fail-on over rejected", ["--fail-on", "general_authorisation"],
     with_() + "\n" + with_(destination="ZZ") + "\n", 3, 2),
    ("rejected without fail-on match", ["--fail-on", "prohibited"],
     with_() + "\n" + with_(destination="ZZ") + "\n", 4, 2),
]:
    p = run(["assess", "--no-record"] + args + ["-"], text)
    check(name, p.returncode == code, f"exit {p.returncode}: {p.stderr}")
    check(name, len(p.stdout.strip().splitlines()) >= count if text.count("\n") > 1
          else json.loads(p.stdout)["verdict"], p.stdout[:200])
# A batch larger than a record group, recorded: every valid line one record, in
# input order, the chain intact; the bad line neither answered nor recorded.
with tempfile.TemporaryDirectory() as d:
    lines = [with_(reference=f"PO-{i}") for i in range(600)]
    lines[300] = with_(reference="PO-300", destination="ZZ")
    p = run(["assess", "--data-dir", d, "-"], "\n".join(lines) + "\n")
    check("recorded batch", p.returncode == 4, p.stderr)
    out = [json.loads(l) for l in p.stdout.splitlines()]
    check("recorded batch answers", [o.get("reference") for o in out[:3]] == ["PO-0", "PO-1", "PO-2"]
          and len(out) == 600 and out[300].get("line") == 301, len(out))
    v = run(["audit", "verify", "--data-dir", d])
    check("recorded batch chain", v.returncode == 0 and "599 records" in v.stdout + v.stderr,
          v.stdout + v.stderr)
p = run(["assess", "--no-record", "--fail-on", "forbidden", "-"], with_())
check("fail-on unknown word", p.returncode == 2 and '"forbidden" is not one of' in p.stderr
      and p.stdout == "", p.stderr)
expect_bad("date before the regimes", with_(date="2001-01-01"), "no regime in the law data covers 2001-01-01")
expect_bad("binary garbage", "\x00\x01\xff{[", "expected a JSON request")
p = run(["assess", "--as-of", "2026-02-30", "-"], with_())
check("bad --as-of", p.returncode == 2 and p.stdout == "", p.stderr)
p = run(["assess", "/nonexistent/request.json"])
check("missing file", p.returncode == 2 and "cannot open" in p.stderr, p.stderr)

with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
    f.write(with_(destination="Japan"))
    bad_file = f.name
expect_bad("file name in the message", None, '$.destination: "Japan"', args=("assess", bad_file),
           fname=bad_file)
os.unlink(bad_file)

# Good input: one object, an array, JSON lines, text.
p = run(["assess", "-"], with_())
check("single", p.returncode == 0, p.stderr)
if p.returncode == 0:
    d = json.loads(p.stdout)
    check("single verdict", d["verdict"] == "general_authorisation", d["verdict"])
    check("single screening", d["screening"][0]["status"] == "not_screened", d["screening"])
p = run(["assess", "-"], "[" + with_() + "," + with_(destination="CN") + "]")
check("array", p.returncode == 0 and len(json.loads(p.stdout)) == 2, p.stderr)
p = run(["assess", "-"], with_() + "\n\n" + with_(destination="CN") + "\n")
check("jsonl", p.returncode == 0 and len(p.stdout.splitlines()) == 2, p.stderr)
if p.returncode == 0:
    verdicts = [json.loads(l)["verdict"] for l in p.stdout.splitlines()]
    check("jsonl verdicts", verdicts == ["general_authorisation", "licence_required"], verdicts)
p = run(["assess", "--format", "text", "--as-of", "2019-07-18",
         os.path.join(src, "examples", "seed-case-3894.json")])
check("text", p.returncode == 0 and "VERDICT: NO LICENCE REQUIRED" in p.stdout, p.stdout + p.stderr)
check("text regime", "428/2009" in p.stdout, p.stdout)

# law validate / stats
p = run(["law", "validate"])
check("law validate", p.returncode == 0 and "OK" in p.stdout, p.stdout + p.stderr)
p = run(["law", "stats"])
check("law stats", p.returncode == 0 and "all" in p.stdout, p.stdout + p.stderr)
with tempfile.TemporaryDirectory() as d:
    import shutil
    shutil.copytree(os.path.join(src, "data", "law"), os.path.join(d, "law"))
    path = os.path.join(d, "law", "arms-embargoes.json")
    data = json.load(open(path))
    del data["embargoes"][0]["source"]
    json.dump(data, open(path, "w"))
    p = run(["law", "validate", "--dir", os.path.join(d, "law")])
    check("law validate broken", p.returncode == 2 and "$.embargoes[0].source: missing" in p.stderr,
          p.stderr)

for f in failures:
    print("FAIL", f)
print(f"{len(failures)} failures")
sys.exit(1 if failures else 0)
