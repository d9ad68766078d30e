#!/usr/bin/env bash
# CLI walk of `dualuse authority` on a fresh SQLite store: file, assess, decide
# (letter), book (and a refused booking), report, denials exchange, and the
# one-line error with exit code 2 for bad input. Usage: cli_test.sh DUALUSE_BINARY
set -euo pipefail
bin=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export DUALUSE_DATA=$work/nl
mkdir -p "$DUALUSE_DATA"
fail() { echo "FAIL: $*" >&2; exit 1; }

cat > "$work/filing.json" <<'JSON'
{"schema": "dualuse.authority-filing/1", "filed_on": "2026-03-01",
 "request": {"schema": "dualuse.assessment/1", "reference": "PO-1", "date": "2026-03-01",
   "activity": "export", "exporter": {"name": "Example B.V.", "country": "NL", "has_icp": true},
   "destination": "CN",
   "items": [{"id": "1", "description": "IP network surveillance system", "kind": "goods",
              "control_entries": ["5A001.j"], "cyber_surveillance": true, "quantity": 10,
              "value_eur": 100000}],
   "parties": [{"role": "end_user", "name": "Example Telecom Co., Ltd", "country": "CN",
                "type": "organization", "sector": "telecom_operator"}],
   "end_use": {"description": "lawful interception"}},
 "determination": {"schema": "dualuse.determination/1", "reference": "PO-1",
   "verdict": "licence_required",
   "findings": [{"rule": "eu-2021-821/art-3-1", "basis": "Regulation (EU) 2021/821, Article 3(1)",
                 "effect": "licence_required", "item": "1", "summary": "5A001.j is listed"}],
   "screening": [{"party": 0, "status": "clear", "matches": []}]}}
JSON

# The exporter files; the authority's officer (the default cli:$USER) decides.
out=$("$bin" authority --actor exporter1 file "$work/filing.json")
echo "$out" | grep -q '"id":"APP-1"' || fail "file: $out"

# The assessment, from the template: every criterion, no concern.
"$bin" authority criteria | python3 -c '
import json, sys
t = json.load(sys.stdin)
t["application_id"] = "APP-1"; t["date"] = "2026-03-05"; t["officer"] = "officer1"
for a in t["answers"]:
    a["finding"] = "no_concern"; a["reasoning"] = "Considered; no concern."
    for k in ("group", "title", "text", "source", "verification"): a.pop(k)
json.dump(t, open(sys.argv[1], "w"))' "$work/assessment.json"
"$bin" authority assess "$work/assessment.json" >/dev/null

cat > "$work/grant.json" <<'JSON'
{"application_id": "APP-1", "date": "2026-03-10", "kind": "grant", "licence_type": "individual",
 "validity": {"from": "2026-03-10", "until": "2027-03-10"},
 "allowances": [{"item_id": "1", "quantity": 10, "value_eur": 100000}]}
JSON
"$bin" authority decide "$work/grant.json" --letter "$work/letter.html" | grep -q '"id":"DEC-1"' \
  || fail "decide"
grep -q "Article 12(1)(a)" "$work/letter.html" || fail "letter cites Art 12(1)(a)"

book() {
  printf '{"licence_id": "LIC-1", "date": "%s", "item_id": "1", "quantity": %s, "value_eur": %s}' \
    "$1" "$2" "$3" > "$work/booking.json"
  "$bin" authority book "$work/booking.json"
}
book 2026-04-01 6 60000 >/dev/null
set +e
err=$(book 2026-04-02 5 10000 2>&1 >/dev/null); rc=$?
set -e
[ $rc -eq 2 ] || fail "over-booking exit code $rc"
[[ "$err" == "error: refused: item 1 on licence LIC-1: quantity 5 exceeds what is left (4 of 10"* ]] \
  || fail "over-booking message: $err"

"$bin" authority report --year 2026 | grep -qx 'total,2026,1,0,1,0,0,0,100000' || fail "report csv"
"$bin" authority report --year 2026 --format html --out "$work/report.html"
grep -q "<svg" "$work/report.html" || fail "report html"
"$bin" authority case APP-1 --as-of 2026-04-02 | grep -q '"booked_quantity": 6' || fail "case"

# The licence register: 6 of 10 used on 2026-04-02; filters; a bad filter is exit 2.
"$bin" authority licences --as-of 2026-04-02 | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["as_of"] == "2026-04-02", r
assert len(r["licences"]) == 1, r
' || fail "licences"
[ "$("$bin" authority licences --destination US | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["licences"]))')" = 0 ] \
  || fail "licences --destination US"
set +e
err=$("$bin" authority licences --status revoked 2>&1 >/dev/null); rc=$?
set -e
[ $rc -eq 2 ] || fail "licences --status revoked: exit code $rc"
[ "$(echo "$err" | wc -l)" -eq 1 ] || fail "licences error is not one line: $err"

# Bad input: one line, file and JSON path, exit 2, nothing recorded.
echo '{"application_id": "APP-1", "date": "2026-13-01", "kind": "grant"}' > "$work/bad.json"
set +e
err=$("$bin" authority decide "$work/bad.json" 2>&1 >/dev/null); rc=$?
set -e
[ $rc -eq 2 ] || fail "bad input exit code $rc"
[ "$(echo "$err" | wc -l)" -eq 1 ] || fail "one line expected: $err"
[[ "$err" == "error: $work/bad.json: \$.date: \"2026-13-01\" is not a date"* ]] || fail "bad: $err"

# Denials exchange: deny a second filing, export, import at another authority.
sed 's/"PO-1"/"PO-2"/g' "$work/filing.json" > "$work/filing2.json"
"$bin" authority --actor exporter1 file "$work/filing2.json" >/dev/null
sed 's/APP-1/APP-2/' "$work/assessment.json" | python3 -c '
import json, sys
t = json.load(sys.stdin)
for a in t["answers"]:
    if a["criterion"] == "cp-2008-944/criterion-2":
        a["finding"] = "clear_risk"; a["reasoning"] = "Documented repression by the end-user."
json.dump(t, sys.stdout)' > "$work/assessment2.json"
"$bin" authority assess "$work/assessment2.json" >/dev/null
echo '{"application_id": "APP-2", "date": "2026-03-11", "kind": "deny",
  "reason": "Clear risk of internal repression.", "criteria": ["cp-2008-944/criterion-2"]}' \
  > "$work/deny.json"
"$bin" authority decide "$work/deny.json" >/dev/null
"$bin" authority denials export --out "$work/denials.json"
# The exported document conforms to the published JSON Schema.
python3 - "$work/denials.json" "$(dirname "$0")/../../docs/denials.schema.json" <<'PY' || fail "schema"
import json, sys
import jsonschema
doc, schema = (json.load(open(p)) for p in sys.argv[1:3])
jsonschema.Draft202012Validator.check_schema(schema)
jsonschema.Draft202012Validator(schema).validate(doc)
PY
mkdir -p "$work/de"
DUALUSE_DATA=$work/de "$bin" authority --authority-code DE denials import "$work/denials.json" \
  | grep -q "imported 1" || fail "import"
DUALUSE_DATA=$work/de "$bin" authority denials list | grep -q "^NL-DEN-1" || fail "denials list"
echo "authority CLI: ok"
