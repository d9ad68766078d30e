#!/usr/bin/env python3
"""Builds the cross-script dev set: names in their original script aligned with
their Latin spelling, from the lists themselves, plus hard negatives.

  scripts/build-cross-script-dev.py [--shared ../shared] [--out tests/data/screening/cross-script-dev.csv]
  scripts/build-cross-script-dev.py --eu-oj OUT.csv   # wider evaluation set, NOT for the repository

Repository set (UN Security Council Consolidated List 2026-02-27, a public UN
document): each record with NAME_ORIGINAL_SCRIPT gives one positive pair (the
original-script name against the Latin name the UN gives) and one negative
pair (the same original-script name against the Latin name of the other record
of the same schema that shares the most name words with it: a hard negative,
e.g. another AL-TIKRITI).

--eu-oj: the same construction from ../shared/data/lists/eu_oj (the EU annexes
as transcribed by OpenSanctions, CC BY-NC 4.0: evaluation only, never copied
into the repository): each row's non-Latin aliases against its Latin name.

Columns: script,source,source_ref,schema,name1,name2,is_match. Deterministic:
the same input gives the same file byte for byte.
"""
import argparse
import csv
import glob
import os
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET

PARTICLES = {"al", "el", "bin", "ibn", "abu", "abd", "bint", "ben", "a", "the", "of", "and"}


def script_of(name):
    counts = {}
    for ch in name:
        if ch.isalpha() and ord(ch) > 0x24F:
            s = unicodedata.name(ch, "?").split()[0]
            s = {"CJK": "Han", "HIRAGANA": "Kana", "KATAKANA": "Kana"}.get(s, s.title())
            counts[s] = counts.get(s, 0) + 1
    if not counts:
        return None
    return max(sorted(counts), key=lambda k: counts[k])


def words(name):
    return {w for w in re.split(r"[^a-z0-9]+", name.lower()) if w and w not in PARTICLES}


def un_records(path):
    root = ET.parse(path).getroot()
    out = []
    for tag, schema in (("INDIVIDUAL", "Person"), ("ENTITY", "Organization")):
        for rec in root.iter(tag):
            ref = (rec.findtext("REFERENCE_NUMBER") or "").strip()
            parts = [(rec.findtext(t) or "").strip() for t in
                     ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
            latin = " ".join(p for p in parts if p)
            original = (rec.findtext("NAME_ORIGINAL_SCRIPT") or "").strip()
            if latin:
                out.append({"ref": ref, "schema": schema, "latin": latin, "original": original})
    return out


def eu_records(directory):
    csv.field_size_limit(1 << 30)
    out = []
    for path in sorted(glob.glob(os.path.join(directory, "*.csv"))):
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                latin = (row.get("name") or "").strip()
                schema = (row.get("schema") or "").strip()
                if not latin or script_of(latin) or schema not in ("Person", "Organization",
                                                                     "Company", "LegalEntity"):
                    continue
                for alias in (row.get("alias") or "").split(";"):
                    alias = alias.strip()
                    if alias and script_of(alias):
                        out.append({"ref": f"{row.get('celex', '')}/{row.get('recordId', '')}",
                                    "schema": schema, "latin": latin, "original": alias})
    # One pair per (original, latin).
    seen, uniq = set(), []
    for r in out:
        key = (r["original"], r["latin"])
        if key not in seen:
            seen.add(key)
            uniq.append(r)
    return uniq


def pairs(records, source):
    by_schema = {}
    for r in records:
        by_schema.setdefault(r["schema"], []).append(r)
    rows = []
    for r in records:
        if not r["original"] or not script_of(r["original"]):
            continue
        script = script_of(r["original"])
        rows.append([script, source, r["ref"], r["schema"], r["original"], r["latin"], "true"])
        mine = words(r["latin"])
        best, best_key = None, None
        for o in by_schema[r["schema"]]:
            if o["ref"] == r["ref"] or o["latin"].lower() == r["latin"].lower() or words(o["latin"]) == mine:
                continue
            key = (-len(mine & words(o["latin"])), o["ref"], o["latin"])
            if best_key is None or key < best_key:
                best, best_key = o, key
        if best is not None:
            rows.append([script, source, r["ref"], r["schema"], r["original"], best["latin"],
                         "false"])
    return rows


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(here, "..", "..", "shared"))
    ap.add_argument("--out", default=os.path.join(here, "..", "tests", "data", "screening",
                                                  "cross-script-dev.csv"))
    ap.add_argument("--eu-oj", metavar="OUT", help="write the EU annex evaluation set to OUT")
    a = ap.parse_args()
    lists = os.path.join(a.shared, "data", "lists")
    if a.eu_oj:
        recs = eu_records(os.path.join(lists, "eu_oj"))
        rows, out = pairs(recs, "eu_oj"), a.eu_oj
    else:
        un = os.path.join(lists, "un_sc", "un_consolidated_2026-02-27.xml")
        rows, out = pairs(un_records(un), "un_sc 2026-02-27"), a.out
    if not rows:
        sys.exit(f"error: {lists}: no original-script names found")
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["script", "source", "source_ref", "schema", "name1", "name2", "is_match"])
        w.writerows(rows)
    n_pos = sum(r[-1] == "true" for r in rows)
    print(f"{out}: {len(rows)} pairs ({n_pos} positive, {len(rows) - n_pos} negative)")


if __name__ == "__main__":
    main()
