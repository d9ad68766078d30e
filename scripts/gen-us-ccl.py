#!/usr/bin/env python3
"""Generates data/classify/us-ccl.json from ../shared/data/controllists/us-ear-ccl.json.

Keeps, per ECCN: heading, reasons for control, country-chart rows, related
controls and the item paragraphs (text), i.e. what `dualuse classify show`
prints as the US counterpart of an Annex I entry. Deterministic output.
Usage: scripts/gen-us-ccl.py [--shared ../shared] [--out data/classify]
"""
import argparse
import hashlib
import json
import os

SOURCE = "data/controllists/us-ear-ccl.json"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(here, "..", "..", "shared"))
    ap.add_argument("--out", default=os.path.join(here, "..", "data", "classify"))
    a = ap.parse_args()
    raw = open(os.path.join(a.shared, SOURCE), "rb").read()
    src = json.loads(raw)
    out = []
    for e in src["entries"]:
        items = [{"paragraph": i.get("paragraph"), "kind": i.get("kind"), "text": i.get("text", "")}
                 for i in (e.get("items") or [])]
        out.append({
            "eccn": e["eccn"],
            "heading": e.get("heading") or "",
            "reason_for_control": e.get("reasonForControl") or "",
            "country_chart": [{"control": r.get("control", ""), "chart": r.get("countryChart", "")}
                              for r in (e.get("countryChart") or [])],
            "related_controls": e.get("relatedControls") or "",
            "items": items,
        })
    doc = {
        "schema": "dualuse.us-ccl/1",
        "title": "US Commerce Control List (15 CFR Part 774, Supplement No. 1), reduced",
        "citation": src.get("citation"),
        "ecfr_issue_date": src.get("ecfrIssueDate"),
        "source": {
            "file": "../shared/" + SOURCE,
            "sha256": hashlib.sha256(raw).hexdigest(),
            "origin": "seelpeed-debug/export-controls-agent-mcp:src/data/ccl.json @ 5847b092f2a44117b2e18d06a8c6aa3e16106250, generated from the eCFR XML (https://www.ecfr.gov/api/versioner/v1/full/2026-07-23/title-15.xml?part=774)",
            "licence": "MIT (Copyright (c) 2026 seelpeed-debug); the CCL text is a US Government work (public domain)",
            "generator": "scripts/gen-us-ccl.py",
        },
        "verification": "V",
        "deep_categories": src.get("deepCategories"),
        "note": src.get("deepCategoryNote"),
        "entries": out,
    }
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "us-ccl.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=0, sort_keys=False)
        f.write("\n")


if __name__ == "__main__":
    main()
