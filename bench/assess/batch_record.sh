#!/usr/bin/env bash
# Batch assessment with and without recording, side by side.
#
# usage: bench/assess/batch_record.sh DUALUSE_BINARY [N] [--list FILE ...]
#
# Makes N (default 100000) JSON-lines requests by varying one template (the
# reference, the consignee's name and country, the destination, the item),
# then runs `dualuse assess` on them twice, each on a fresh data directory:
# with --no-record, and recording into a SQLite store (DUALUSE_BENCH_DB: a
# postgresql:// URL instead). Prints wall time, CPU time (user + system) and
# peak RSS (/usr/bin/time -v), the answers and records written, and the
# ratios (CPU is the steadier figure on a shared machine). Extra arguments (e.g. --list FILE) go to both.
set -euo pipefail
bin=${1:?usage: batch_record.sh DUALUSE_BINARY [N] [--list FILE ...]}
n=${2:-100000}
shift $(( $# >= 2 ? 2 : 1 ))
work=$(mktemp -d /tmp/du-batch-XXXXXX)
trap 'rm -rf "$work"' EXIT

python3 - "$n" > "$work/requests.jsonl" <<'PY'
import json, sys
n = int(sys.argv[1])
dest = ["JP", "CN", "BR", "US", "IN", "TR", "AE", "ZA"]
countries = ["CN", "BR", "US", "IN", "TR", "AE", "ZA", "JP"]
entries = [["5A001.j"], [], ["3A001.a.1"], ["4A003.b"]]
for i in range(n):
    req = {
        "schema": "dualuse.assessment/1", "reference": f"PO-{i:07d}", "date": "2026-11-28",
        "activity": "export",
        "exporter": {"name": "Example B.V.", "country": "NL", "has_icp": True},
        "destination": dest[i % len(dest)],
        "items": [{"id": "1", "kind": "goods", "description": f"item {i % 97}",
                   "control_entries": entries[i % len(entries)],
                   "cyber_surveillance": i % 4 == 0, "quantity": 1 + i % 9,
                   "value_eur": 1000 + i}],
        "parties": [{"role": "consignee", "name": f"Customer {i % 20000} Trading Ltd",
                     "country": countries[i % len(countries)], "type": "organization"}],
        "knowledge": {"informed": [], "aware": [], "suspects": []},
    }
    print(json.dumps(req))
PY

run() {  # label, data dir, extra args...
  local label=$1 dir=$2
  shift 2
  mkdir -p "$dir"
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -v "$bin" assess --data-dir "$dir" --format jsonl "$@" "$work/requests.jsonl" \
    > "$work/$label.out" 2> "$work/$label.time" || { tail -5 "$work/$label.time"; exit 1; }
  end=$(date +%s.%N)
  local secs rss lines cpu
  secs=$(echo "$end - $start" | bc)
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/$label.time")
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$work/$label.time")
  lines=$(wc -l < "$work/$label.out")
  echo "$label $secs $rss $lines $cpu"
}

db_args=()
if [[ -n "${DUALUSE_BENCH_DB:-}" ]]; then db_args=(--db "$DUALUSE_BENCH_DB"); fi
read -r _ t0 r0 l0 c0 < <(run no_record "$work/d0" --no-record "$@")
read -r _ t1 r1 l1 c1 < <(run record "$work/d1" "${db_args[@]}" "$@")
records=$("$bin" audit verify --data-dir "$work/d1" "${db_args[@]}" 2>&1 | grep -oE '[0-9]+ records' | head -1 || true)

printf '%-12s %10s %12s %14s %10s\n' run "wall s" "CPU s" "peak RSS MiB" answers
printf '%-12s %10.2f %12.2f %14.1f %10d\n' --no-record "$t0" "$c0" "$(echo "$r0/1024" | bc -l)" "$l0"
printf '%-12s %10.2f %12.2f %14.1f %10d\n' recorded "$t1" "$c1" "$(echo "$r1/1024" | bc -l)" "$l1"
printf 'requests %d; ratio recorded/--no-record: wall %.2f, CPU %.2f; store: %s\n' "$n" \
  "$(echo "$t1 / $t0" | bc -l)" "$(echo "$c1 / $c0" | bc -l)" "${records:-see audit verify}"
