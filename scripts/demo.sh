#!/usr/bin/env bash
# README's first command: fresh Debian 12 machine -> built binary -> the
# determinations of a bundled example (examples/seed-case-3894.json), assessed
# under the law of 2019-07-18 (Regulation 428/2009) and of today (2021/821).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh build >/dev/null
# Screen the parties against the UN Security Council list carried in the
# repository (data/lists/bundled, decompressed into build/data/lists by the build).
un=build/data/lists/un_sc/un_consolidated_2026-02-27.xml
[ -f "$un" ] || { echo "demo: $un missing after the build" >&2; exit 1; }
lists=(--list "$un")
echo "== Parliamentary questions no. 3894 (2019): emotion-recognition software for a"
echo "   Chinese public-security end-user"
echo
echo "== as of 2019-07-18 (Regulation (EC) No 428/2009)"
build/dualuse assess "${lists[@]}" --format text --as-of 2019-07-18 examples/seed-case-3894.json
echo
echo "== as of today ($(date -u +%F), Regulation (EU) 2021/821)"
build/dualuse assess "${lists[@]}" --format text --as-of "$(date -u +%F)" examples/seed-case-3894.json
echo
echo "== what changed"
for d in 2019-07-18 "$(date -u +%F)"; do
  build/dualuse assess "${lists[@]}" --no-record --format json --as-of "$d" examples/seed-case-3894.json | python3 -c '
import json, sys
d = json.load(sys.stdin)
decisive = [f["basis"] for f in d["findings"] if f["effect"] not in ("information", "red_flag")]
print("  %s  %-12s %-20s review required: %-5s %s" % (d["as_of"], d["regime"], d["verdict"],
      str(d["review_required"]).lower(), "; ".join(decisive) or "(no rule requires an authorisation)"))'
done
