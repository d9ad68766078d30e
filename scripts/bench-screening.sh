#!/usr/bin/env bash
# Screening benchmark: quality on the evaluation sets of ../shared/data/eval
# (not carried in the repository; DUALUSE_SHARED names another place) and speed
# on the bundled lists (data/lists/bundled, decompressed into BUILD_DIR).
# Figures are recorded in docs/screening-results.md.
#
# usage: scripts/bench-screening.sh [BUILD_DIR]   (builds bench_screening there if missing)
# Then scripts/bench-pg-trgm.sh [BUILD_DIR] for the PostgreSQL pg_trgm comparison.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-screening}
shared=${DUALUSE_SHARED:-$(cd .. && pwd)/shared}
bench="$build/bench/bench_screening"
if [ ! -x "$bench" ] || [ ! -d "$build/data/lists" ]; then
  [ -f "$build/build.ninja" ] || cmake -S . -B "$build" -G Ninja >/dev/null
  ninja -C "$build" bench_screening dualuse_lists_data
fi
eval_dir="$shared/data/eval"
lists_dir="$build/data/lists"
un="$lists_dir/un_sc/un_consolidated_2026-02-27.xml"
three=(--list "$un" --list "$lists_dir/ofac_sdn/legacy_csv_2022-01-31"
       --list "$lists_dir/us_csl/consolidated_2026-07-31.csv")
countries="$shared/data/controllists/iso3166-country-codes.csv"

echo "== nomenklatura dev pairs (default threshold), next to logic-v2's frozen scores"
"$bench" pairs "$eval_dir/nomenklatura_name_bench/cases_dev.csv" \
  "$eval_dir/nomenklatura_name_bench/logicv2-frozen_dev.csv"

echo "== OFAC parity fixtures (OFAC tool emulation)"
"$bench" ofac "$eval_dir/nomenklatura_name_bench/ofac_parity_fixtures.csv"

echo "== UN clean positives against the UN list of 2026-02-27"
"$bench" screen --list "$un" --queries "$eval_dir/yente_candidate_generation/positives_un_untreated.csv" \
  --expect hit --verbose | grep -v '^ ' || true
echo "== UN clean positives against the UN list of 2025-04-19 (before the 2025 delistings)"
"$bench" screen --list "$lists_dir/un_sc/un_consolidated_2025-04-19.xml" \
  --queries "$eval_dir/yente_candidate_generation/positives_un_untreated.csv" --expect hit

echo "== 50,000 US synthetic negatives against UN + OFAC legacy CSV + CSL"
"$bench" screen "${three[@]}" --queries "$eval_dir/yente_candidate_generation/negatives_us.csv" \
  --expect clear --countries "$countries"

echo "== speed: 20,000 names against UN + OFAC legacy CSV + CSL, list loading included"
echo "   (CPU = process CPU time of every thread; load average now: $(uptime | sed 's/.*load average: //'))"
speed=$("$bench" screen "${three[@]}" --queries "$eval_dir/yente_candidate_generation/negatives_us.csv" \
  --expect clear --countries "$countries" --limit 20000)
echo "$speed"
echo "== speed, one thread"
speed1=$("$bench" screen "${three[@]}" --queries "$eval_dir/yente_candidate_generation/negatives_us.csv" \
  --expect clear --countries "$countries" --limit 20000 --threads 1)
echo "$speed1"
echo "== summary (pg_trgm side by side: scripts/bench-pg-trgm.sh $build)"
echo "$speed" | sed -n 's/^total: /speed, all cores: /p'
echo "$speed1" | sed -n 's/^total: /speed, one query thread: /p'
