#!/usr/bin/env python3
"""`dualuse assess` with classification and due-diligence records.

usage: cli_assess_records_test.py DUALUSE_BINARY SOURCE_DIR

Real decision trees (data/classify/decision-trees), real answers and
due-diligence records (tests/data/classify), the built binary, a fresh data
directory with a real SQLite store. Checks:
  (a) a record made by `classify ask --save` and referenced by id (or path, or
      embedded) changes the item's classification and is cited with its hash;
  (b) a not-listed cyber-surveillance item with a due-diligence record
      concluding "aware" gives notify_authority, Art 5(2) cited from the law
      data, and a notification carrying the record;
  (c) a bad reference: exit 2, one line naming the field, nothing on stdout,
      the store untouched.
"""
import hashlib, json, os, shutil, subprocess, sys, tempfile

dualuse, src = sys.argv[1], sys.argv[2]
DATA = os.path.join(src, "tests", "data", "classify")
failures = []


def check(name, cond, detail=""):
    if not cond:
        failures.append(f"{name}: {detail}")
    return cond


def run(args, stdin=None, cwd=None):
    return subprocess.run([dualuse] + args, input=stdin, capture_output=True, text=True,
                          timeout=120, cwd=cwd)


def load(path):
    with open(path) as f:
        return json.load(f)


def write(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1)
    return path


def tree_hash(root):
    """SHA-256 over every file under root (names and bytes): the store is untouched."""
    h = hashlib.sha256()
    for d, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            p = os.path.join(d, name)
            h.update(p.encode())
            with open(p, "rb") as f:
                h.update(f.read())
    return h.hexdigest()


work = tempfile.mkdtemp(prefix="dualuse-assess-records-")
data_dir = os.path.join(work, "var")
try:
    # --- records made the way a user makes them -------------------------------
    listed_answers = write(os.path.join(work, "answers-5A001.j-listed.json"), {
        "schema": "dualuse.classify-answers/1", "tree": "5A001.j",
        "who": "A. de Vries, classification officer", "when": "2026-11-27T08:00:00Z",
        "item": {"id": "1", "description": "IP network surveillance system"},
        "answers": {"kind": "goods", "carrier": "yes", "selectors": "yes", "purpose": "yes"}})
    refer_answers = write(os.path.join(work, "answers-5A001.j-refer.json"), {
        "schema": "dualuse.classify-answers/1", "tree": "5A001.j", "who": "A. de Vries",
        "when": "2026-11-27T08:05:00Z", "answers": {"kind": "software"}})

    def ask(tree, answers):
        p = run(["classify", "ask", tree, "--answers", answers, "--save", "--format", "json",
                 "--data-dir", data_dir])
        check(f"classify ask {tree}", p.returncode == 0, p.stderr)
        rec = json.loads(p.stdout)
        path = os.path.join(data_dir, "classification-records", rec["id"] + ".json")
        check(f"stored {tree}", os.path.exists(path), path)
        with open(path, "rb") as f:
            stored = f.read()
        # record_sha256: SHA-256 of the canonical record (the stored file without its final newline)
        return rec, hashlib.sha256(stored.rstrip(b"\n")).hexdigest()

    listed, listed_sha = ask("5A001.j", listed_answers)
    not_listed, not_listed_sha = ask("5D001.e", os.path.join(DATA, "answers-not-listed-5D001.e.json"))
    cyber, cyber_sha = ask("art-2-20", os.path.join(DATA, "answers-art-2-20-in-scope.json"))
    refer, _ = ask("5A001.j", refer_answers)
    check("listed record", listed["outcome"] == "listed" and listed["entries"] == ["5A001.j"],
          listed)
    check("not listed record", not_listed["outcome"] == "not_listed", not_listed)
    check("cyber record", cyber["outcome"] == "cyber_surveillance_item", cyber)

    # --- (a) a record by id / by path / embedded --------------------------------
    base = {
        "schema": "dualuse.assessment/1", "reference": "PO-2026-0101", "date": "2026-11-28",
        "activity": "export", "exporter": {"name": "Example B.V.", "country": "NL", "has_icp": True},
        "destination": "JP",
        "items": [{"id": "1", "description": "IP network surveillance system", "kind": "goods"}],
        "parties": [{"role": "end_user", "name": "Example K.K.", "country": "JP",
                     "type": "organization", "sector": "telecom_operator"}],
        "knowledge": {"informed": [], "aware": [], "suspects": []},
    }
    listed_file = os.path.join(data_dir, "classification-records", listed["id"] + ".json")
    os.makedirs(os.path.join(work, "req"), exist_ok=True)
    shutil.copy(listed_file, os.path.join(work, "req", "listed-record.json"))
    for how, ref in [("id", listed["id"]), ("relative path", "listed-record.json"),
                     ("embedded", listed), ("array", [listed["id"]])]:
        req = json.loads(json.dumps(base))
        req["items"][0]["classification_record"] = ref
        path = write(os.path.join(work, "req", "a.json"), req)
        p = run(["assess", path, "--data-dir", data_dir])
        if not check(f"(a) {how}: exit 0", p.returncode == 0, p.stderr):
            continue
        det = json.loads(p.stdout)
        cites = [f for f in det["findings"] if f["rule"] == "record/classification"]
        check(f"(a) {how}: one citation", len(cites) == 1, det["findings"])
        if cites:
            f = cites[0]
            check(f"(a) {how}: information", f["effect"] == "information", f)
            check(f"(a) {how}: item", f.get("item") == "1", f)
            check(f"(a) {how}: record", f.get("record") == {
                "kind": "classification", "id": listed["id"], "sha256": listed_sha}, f)
            for want in [listed["id"], "tree 5A001.j", "version " + listed["tree"]["version"],
                         "outcome listed", "entries 5A001.j", "A. de Vries, classification officer",
                         "2026-11-27T08:00:00Z", listed_sha]:
                check(f"(a) {how}: summary has {want!r}", want in f["summary"], f["summary"])
            check(f"(a) {how}: basis from the law data",
                  f["basis"] == "Regulation (EU) 2021/821, Article 3(1)", f["basis"])
        # The entry from the record is what the rules assessed.
        art3 = [f for f in det["findings"] if f["rule"] == "eu-2021-821/art-3-1" and f.get("item") == "1"]
        check(f"(a) {how}: Art 3(1) on the record's entry",
              art3 and "5A001.j" in art3[0]["summary"], det["findings"])
        check(f"(a) {how}: verdict", det["verdict"] in ("licence_required", "general_authorisation"),
              det["verdict"])
        check(f"(a) {how}: no notification", "notification" not in det, det.get("notification"))

    # Text output names the record too.
    req = json.loads(json.dumps(base))
    req["items"][0]["classification_record"] = listed["id"]
    p = run(["assess", "-", "--format", "text", "--no-record", "--data-dir", data_dir], json.dumps(req))
    check("(a) text", p.returncode == 0 and listed["id"] in p.stdout, p.stderr + p.stdout[:400])

    # --- (b) not listed + Art 2(20) + due diligence "aware" -> notify_authority -----
    emotion = load(os.path.join(DATA, "request-emotion-analysis.json"))
    dd_path = os.path.join(DATA, "due-diligence-aware.json")
    p = run(["classify", "due-diligence", "--input", dd_path, "--format", "json"])
    check("(b) due-diligence record", p.returncode == 0, p.stderr)
    dd_record = json.loads(p.stdout)["record"]
    dd_sha = hashlib.sha256(json.dumps(dd_record, indent=2, ensure_ascii=False).encode()).hexdigest()
    for how, dd_ref in [("path", dd_path), ("embedded", load(dd_path))]:
        req = json.loads(json.dumps(emotion))
        req["items"][0]["classification_record"] = [not_listed["id"], cyber["id"]]
        req["due_diligence"] = dd_ref
        p = run(["assess", "-", "--data-dir", data_dir], json.dumps(req))
        if not check(f"(b) {how}: exit 0", p.returncode == 0, p.stderr):
            continue
        det = json.loads(p.stdout)
        check(f"(b) {how}: verdict", det["verdict"] == "notify_authority", det["verdict"])
        art52 = [f for f in det["findings"] if f["effect"] == "notify_authority"]
        check(f"(b) {how}: Art 5(2) finding",
              any(f["basis"] == "Regulation (EU) 2021/821, Article 5(2)" for f in art52), art52)
        cites = {f["record"]["id"]: f for f in det["findings"] if f["rule"] == "record/classification"}
        check(f"(b) {how}: both classification records cited",
              set(cites) == {not_listed["id"], cyber["id"]}, list(cites))
        if cyber["id"] in cites:
            check(f"(b) {how}: Art 2(20) record hash", cites[cyber["id"]]["record"]["sha256"] == cyber_sha)
            check(f"(b) {how}: Art 2(20) answer", "cyber-surveillance item (Article 2(20) test): yes"
                  in cites[cyber["id"]]["summary"], cites[cyber["id"]]["summary"])
        if not_listed["id"] in cites:
            check(f"(b) {how}: not-listed record hash",
                  cites[not_listed["id"]]["record"]["sha256"] == not_listed_sha)
        dd = [f for f in det["findings"] if f["rule"] == "record/due-diligence"]
        if check(f"(b) {how}: due-diligence finding", len(dd) == 1, det["findings"]):
            f = dd[0]
            check(f"(b) {how}: dd basis", f["basis"] == "Regulation (EU) 2021/821, Article 5(2)", f)
            check(f"(b) {how}: dd effect", f["effect"] == "information", f)
            check(f"(b) {how}: dd record", f["record"] == {
                "kind": "due_diligence", "id": "PO-2026-0077", "sha256": dd_sha}, f)
            check(f"(b) {how}: dd conclusion", "conclusion aware (internal_repression)" in f["summary"],
                  f["summary"])
        n = det.get("notification")
        if check(f"(b) {how}: notification", isinstance(n, dict), det.keys()):
            check(f"(b) {how}: notification schema", n["schema"] == "dualuse.notification/1", n)
            check(f"(b) {how}: notification basis",
                  n["basis"] == "Regulation (EU) 2021/821, Article 5(2)", n["basis"])
            check(f"(b) {how}: notification carries the record", n["record"] == dd_record)
            check(f"(b) {how}: notification hash", n["record_sha256"] == dd_sha, n["record_sha256"])
            check(f"(b) {how}: from the exporter", n["from"] == "Example B.V.", n["from"])

    # Without the due-diligence record the same item needs no notification.
    req = json.loads(json.dumps(emotion))
    req["items"][0]["classification_record"] = [not_listed["id"], cyber["id"]]
    p = run(["assess", "-", "--no-record", "--data-dir", data_dir], json.dumps(req))
    if check("(b) without due diligence: exit 0", p.returncode == 0, p.stderr):
        det = json.loads(p.stdout)
        check("(b) without due diligence: no notification",
              det["verdict"] != "notify_authority" and "notification" not in det, det["verdict"])

    # --- (c) bad references: exit 2, one line, store untouched -------------------
    tampered = json.loads(json.dumps(listed))
    tampered["entries"] = ["5A002.a"]
    bad_dd = load(dd_path)
    bad_dd["conclusion"]["value"] = "certain"
    other_dd = load(dd_path)
    other_dd["reference"] = "PO-OTHER"
    cases = [
        # (name, item reference or None, due_diligence or None, expected text in the line)
        ("unknown id", "CR-0000000000000000", None,
         "$.items[0].classification_record: no stored classification record \"CR-0000000000000000\""),
        ("malformed id", "CR-12", None, "$.items[0].classification_record: \"CR-12\" is not a classification record id"),
        ("wrong type", 42, None, "$.items[0].classification_record: expected a stored record id"),
        ("empty array", [], None, "$.items[0].classification_record: expected a stored record id"),
        ("missing file", "no-such-record.json", None,
         "$.items[0].classification_record: "),
        ("tampered embedded record", tampered, None, "$.items[0].classification_record.id"),
        ("second of two", [listed["id"], "CR-ffffffffffffffff"], None,
         "$.items[0].classification_record[1]: no stored classification record"),
        ("refer outcome", refer["id"], None, "does not classify the item"),
        ("due diligence missing file", None, "no-such-dd.json", "$.due_diligence: "),
        ("due diligence bad conclusion", None, bad_dd, "$.due_diligence.conclusion.value"),
        ("due diligence other transaction", None, other_dd, "$.due_diligence: due-diligence record: reference \"PO-OTHER\""),
        ("due diligence wrong type", None, 7, "$.due_diligence: expected a path"),
    ]
    # A store with one record in it, to see that a rejected request adds nothing.
    req = json.loads(json.dumps(emotion))
    p = run(["assess", "-", "--data-dir", data_dir], json.dumps(req))
    check("(c) first record", p.returncode == 0, p.stderr)
    before = tree_hash(data_dir)
    for name, item_ref, dd_ref, want in cases:
        req = json.loads(json.dumps(emotion))
        if item_ref is not None:
            req["items"][0]["classification_record"] = item_ref
        if dd_ref is not None:
            req["due_diligence"] = dd_ref
        path = write(os.path.join(work, "req", "bad.json"), req)
        p = run(["assess", path, "--data-dir", data_dir])
        lines = p.stderr.splitlines()
        check(f"(c) {name}: exit 2", p.returncode == 2, f"exit {p.returncode}: {p.stderr!r}")
        check(f"(c) {name}: nothing on stdout", p.stdout == "", p.stdout[:200])
        check(f"(c) {name}: one line", len(lines) == 1, lines)
        if lines:
            check(f"(c) {name}: file named", lines[0].startswith(f"error: {path}: $."), lines[0])
            check(f"(c) {name}: place and expectation", want in lines[0], f"{want!r} not in {lines[0]!r}")
    # In an array, the request's index is part of the place.
    req = json.loads(json.dumps(emotion))
    req["items"][0]["classification_record"] = "CR-0000000000000000"
    p = run(["assess", "-", "--data-dir", data_dir], json.dumps([emotion, req]))
    check("(c) array: exit 2", p.returncode == 2, p.stderr)
    check("(c) array: place", "error: <stdin>: $[1].items[0].classification_record:" in p.stderr, p.stderr)
    check("(c) store untouched", tree_hash(data_dir) == before, "files under the data dir changed")

    # --- (d) POST /assess over loopback HTTP: the same resolution, no paths ------
    import re, urllib.request, urllib.error
    http_dir = os.path.join(work, "http")
    shutil.copytree(os.path.join(data_dir, "classification-records"),
                    os.path.join(http_dir, "classification-records"))
    run(["users", "add", "officer1", "--role", "officer", "--data-dir", http_dir])
    tok = run(["users", "token", "officer1", "--data-dir", http_dir])
    m = re.search(r"du_\S+", tok.stdout + tok.stderr)
    check("(d) token", m is not None, tok.stdout + tok.stderr)
    stored = {}
    srv = subprocess.Popen([dualuse, "serve", "--port", "0", "--data-dir", http_dir],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = srv.stdout.readline()
        port = re.search(r"http://[^:]+:(\d+)", line)
        if check("(d) server listening", port is not None and m is not None, line):
            url = f"http://127.0.0.1:{port.group(1)}"

            def post(path, body):
                rq = urllib.request.Request(url + path, data=json.dumps(body).encode(), method="POST",
                                            headers={"Authorization": "Bearer " + m.group(0),
                                                     "Content-Type": "application/json"})
                try:
                    with urllib.request.urlopen(rq, timeout=60) as r:
                        return r.status, json.loads(r.read())
                except urllib.error.HTTPError as e:
                    return e.code, json.loads(e.read() or b"{}")

            # A record stored over HTTP is found by its id in the store.
            st, stored = post("/classify/records", load(os.path.join(DATA, "answers-art-2-20-in-scope.json")))
            check("(d) POST /classify/records", st in (200, 201) and "id" in stored, (st, stored))
            req = json.loads(json.dumps(emotion))
            req["items"][0]["classification_record"] = [not_listed["id"], stored.get("id", "")]
            req["due_diligence"] = load(dd_path)
            st, det = post("/assess", req)
            if check("(d) /assess 200", st == 200, (st, det)):
                check("(d) verdict", det["verdict"] == "notify_authority", det["verdict"])
                ids = {f["record"]["id"] for f in det["findings"] if f["rule"] == "record/classification"}
                check("(d) both records cited", ids == {not_listed["id"], stored.get("id")}, ids)
                n = det.get("notification") or {}
                check("(d) notification carries the record", n.get("record") == dd_record, n.keys())
            for name, mutate, want in [
                ("unknown id", lambda r: r["items"][0].__setitem__("classification_record", "CR-0000000000000000"),
                 "$.items[0].classification_record: no stored classification record"),
                ("path refused", lambda r: r["items"][0].__setitem__("classification_record", listed_file),
                 "file paths are not accepted here"),
                ("dd path refused", lambda r: r.__setitem__("due_diligence", dd_path),
                 "$.due_diligence: expected an embedded due-diligence record"),
            ]:
                req = json.loads(json.dumps(emotion))
                mutate(req)
                st, body = post("/assess", req)
                msg = json.dumps(body)
                check(f"(d) {name}: 400", st == 400, (st, msg))
                check(f"(d) {name}: message", want in msg, msg)
    finally:
        srv.terminate()
        srv.wait(timeout=30)

    # --- (e) the CLI finds a record the web UI kept in the store (no file) ------
    check("(e) record only in the store", stored.get("id") and not os.path.exists(
        os.path.join(http_dir, "classification-records", stored.get("id", "") + ".json")), stored)
    req = json.loads(json.dumps(emotion))
    req["items"][0]["classification_record"] = stored.get("id", "CR-missing")
    p = run(["assess", "-", "--data-dir", http_dir], json.dumps(req))
    if check("(e) CLI assess exit 0", p.returncode == 0, p.stderr):
        det = json.loads(p.stdout)
        ids = {f["record"]["id"] for f in det["findings"] if f["rule"] == "record/classification"}
        check("(e) CLI cites the stored record", ids == {stored.get("id")}, ids)
finally:
    shutil.rmtree(work, ignore_errors=True)

for f in failures:
    print("FAIL", f)
print(f"{'FAILED' if failures else 'ok'}: cli_assess_records ({len(failures)} failures)")
sys.exit(1 if failures else 0)
