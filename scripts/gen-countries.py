#!/usr/bin/env python3
"""Generates data/law/countries.json from Debian's iso-codes package.

usage: python3 scripts/gen-countries.py [ISO_JSON] > data/law/countries.json

The output records the source file and the iso-codes package version so that
the data can be traced; re-run it after an iso-codes upgrade and review the diff.
"""
import json, subprocess, sys

src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/iso-codes/json/iso_3166-1.json"
try:
    version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "iso-codes"],
                             capture_output=True, text=True, check=True).stdout.strip()
except (OSError, subprocess.CalledProcessError):
    version = "unknown"
data = json.load(open(src, encoding="utf-8"))
countries = sorted(({"alpha_2": c["alpha_2"], "alpha_3": c["alpha_3"],
                     "name": c.get("common_name", c["name"])}
                    for c in data["3166-1"]), key=lambda c: c["alpha_2"])
out = {
    "schema": "dualuse.law.countries/1",
    "source": f"Debian package iso-codes {version}, {src} (ISO 3166-1)",
    "verification": "V",
    "generated_by": "scripts/gen-countries.py",
    "countries": countries,
}
# One country per line keeps diffs readable.
head = {k: v for k, v in out.items() if k != "countries"}
lines = [json.dumps(c, ensure_ascii=False) for c in countries]
text = json.dumps(head, ensure_ascii=False, indent=1)[:-2]
sys.stdout.write(text + ',\n "countries": [\n  ' + ',\n  '.join(lines) + '\n ]\n}\n')
