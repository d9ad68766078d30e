#!/usr/bin/env bash
# PostgreSQL pg_trgm baseline for the screening benchmark.
#
# Starts a throwaway PostgreSQL cluster in /tmp (as user postgres), loads the
# names of the same lists dualuse screens (UN + OFAC legacy CSV + CSL) into a
# table with a GIN trigram index, and runs the same N query names
# (default 20,000 from negatives_us.csv) with pg_trgm.similarity_threshold 0.6,
# top 5 per name. Reports the query time alone (EXPLAIN ANALYZE execution time,
# loading and index build excluded), then runs dualuse on the same names with
# list loading included, side by side: once parsing the list files (--list),
# once from the same lists imported into a data directory, read through their
# compiled snapshot as `dualuse screen` reads them; and times one
# `dualuse screen NAME` and the whole CLI run on the N names (wall, peak RSS:
# /usr/bin/time -v).
#
# usage: scripts/bench-pg-trgm.sh [BUILD_DIR] [N]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-screening}
n=${2:-20000}
shared=${DUALUSE_SHARED:-$(cd .. && pwd)/shared}
# The bundled lists (decompressed into BUILD_DIR by the build); the query names
# are an evaluation set, not carried in the repository (../shared/data/eval).
lists=(--list "$build/data/lists/un_sc/un_consolidated_2026-02-27.xml"
       --list "$build/data/lists/ofac_sdn/legacy_csv_2022-01-31"
       --list "$build/data/lists/us_csl/consolidated_2026-07-31.csv")
paths=("$build/data/lists/un_sc/un_consolidated_2026-02-27.xml"
       "$build/data/lists/ofac_sdn/legacy_csv_2022-01-31"
       "$build/data/lists/us_csl/consolidated_2026-07-31.csv")
queries_csv="$shared/data/eval/yente_candidate_generation/negatives_us.csv"
bench="$build/bench/bench_screening"
[ -x "$bench" ] || { echo "error: $bench not built (ninja -C $build bench_screening)" >&2; exit 2; }

pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
work=$(mktemp -d /tmp/dualuse-pgtrgm.XXXXXX)
chmod 755 "$work"
port=${PGTRGM_PORT:-55439}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  as_pg "$pgbin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

"$bench" names "${lists[@]}" --out "$work/names.tsv" >/dev/null
python3 - "$queries_csv" "$n" "$work/queries.tsv" "$work/queries.csv" <<'PY'
import csv, sys
src, n, tsv, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rows = list(csv.DictReader(open(src, encoding="utf-8")))[:n]
with open(tsv, "w", encoding="utf-8") as f:
    for i, r in enumerate(rows):
        f.write(f"{i}\t{r['full_name'].replace(chr(9), ' ').replace(chr(92), ' ')}\n")
with open(out, "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(["full_name"])
    for r in rows:
        w.writerow([r["full_name"]])
PY
chown -R postgres "$work" 2>/dev/null || true

as_pg "$pgbin/initdb" -D "$work/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$pgbin/pg_ctl" -D "$work/data" -o "-p $port -k $work -c listen_addresses='' -c shared_buffers=256MB -c work_mem=64MB" \
  -l "$work/pg.log" -w start >/dev/null
psql=("$pgbin/psql" -h "$work" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt)

as_pg "${psql[@]}" <<SQL
CREATE EXTENSION pg_trgm;
CREATE TABLE names (list text, entity text, name text);
CREATE TABLE queries (id int, name text);
\copy names FROM '$work/names.tsv'
\copy queries FROM '$work/queries.tsv'
CREATE INDEX names_trgm ON names USING gin (name gin_trgm_ops);
ANALYZE names;
ANALYZE queries;
SQL
count=$(as_pg "${psql[@]}" -c "SELECT count(*) FROM names")
# PostgreSQL's CPU time for the query: the postmaster's own and its reaped
# children's (the backend of the session below, any parallel workers) user +
# system ticks, before and after.
pm_cpu() {
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.3f", ($14 + $15 + $16 + $17) / hz}' \
    "/proc/$(head -1 "$work/data/postmaster.pid")/stat"
}
sleep 1  # the previous session's backend has been reaped
pg_cpu0=$(pm_cpu)
plan=$(as_pg "${psql[@]}" <<'SQL'
SET pg_trgm.similarity_threshold = 0.6;
EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON)
SELECT q.id, m.entity, m.score
FROM queries q
CROSS JOIN LATERAL (
  SELECT n.entity, similarity(n.name, q.name) AS score
  FROM names n
  WHERE n.name % q.name
  ORDER BY score DESC
  LIMIT 5) m;
SQL
)
sleep 1  # the backend has exited and been reaped
pg_cpu1=$(pm_cpu)
pg_cpu=$(awk -v a="$pg_cpu0" -v b="$pg_cpu1" 'BEGIN{printf "%.3f", b - a}')
workers=$(echo "$plan" | sed -n 's/.*Workers Launched: \([0-9]*\).*/\1/p' | head -1)
pg_ms=$(echo "$plan" | sed -n 's/^Execution Time: \([0-9.]*\) ms$/\1/p')
pg_rows=$(echo "$plan" | sed -n 's/.*Nested Loop.*rows=\([0-9]*\).*/\1/p' | head -1)
echo "pg_trgm: $count list names, GIN trigram index, similarity_threshold 0.6, top 5"
echo "pg_trgm: $n query names, query time alone $(awk -v m="$pg_ms" 'BEGIN{printf "%.3f", m/1000}') s (result rows $pg_rows; PostgreSQL CPU for the query session $pg_cpu s; parallel workers launched: ${workers:-0})"

ours=$("$bench" screen "${lists[@]}" --queries "$work/queries.csv" --expect clear)
echo "$ours" | sed 's/^/dualuse: /'
total=$(echo "$ours" | sed -n 's/^total: .* included: \([0-9.]*\) s wall, \([0-9.]*\) s CPU.*/\1/p')
total_cpu=$(echo "$ours" | sed -n 's/^total: .* included: \([0-9.]*\) s wall, \([0-9.]*\) s CPU.*/\2/p')
threads=$(echo "$ours" | sed -n 's/.*query ([0-9]* names, \([0-9]*\) threads).*/\1/p')
load=$(uptime | sed 's/.*load average: //')
# The comparison, in one line: our whole run (the three lists read, parsed,
# normalised and indexed, then the names screened) against pg_trgm's query
# time alone (its list loading and index build excluded), both wall clock.
awk -v p="$pg_ms" -v t="$total" -v c="$total_cpu" -v n="$n" -v th="$threads" -v l="$load" 'BEGIN{
  printf "speed-up: %d names, UN + OFAC legacy CSV + CSL: pg_trgm query time alone %.3f s (one connection) / dualuse %.3f s wall with list loading (%s threads; %.3f s CPU) = %.1fx (load average %s)\n",
    n, p/1000, t, th, c, (p/1000)/t, l}'
awk -v p="$pg_cpu" -v c="$total_cpu" 'BEGIN{
  printf "cpu: PostgreSQL %.3f s for the query session / dualuse %.3f s for everything = %.1fx\n", p, c, p/c}'

# The compiled list snapshot: the same lists imported (`lists import` writes
# the snapshot), then screened as the commands screen them.
dualuse="$build/dualuse"
[ -x "$dualuse" ] || { echo "error: $dualuse not built (ninja -C $build dualuse)" >&2; exit 2; }
data="$work/dualuse-data"
"$dualuse" lists import --data-dir "$data" "${paths[@]}" >/dev/null 2>&1
ls "$data"/lists/snapshot-*.bin >/dev/null
# A snapshot names the program that analysed the names (docs/screening.md):
# bench_screening compiles its own on a first short run, then reads it.
head -2 "$work/queries.csv" >"$work/one.csv"
"$bench" screen --data-dir "$data" --queries "$work/one.csv" --expect clear >/dev/null
snap=$("$bench" screen --data-dir "$data" --queries "$work/queries.csv" --expect clear)
echo "$snap" | sed 's/^/dualuse (snapshot): /'
snap_total=$(echo "$snap" | sed -n 's/^total: .* included: \([0-9.]*\) s wall, \([0-9.]*\) s CPU.*/\1/p')
snap_cpu=$(echo "$snap" | sed -n 's/^total: .* included: \([0-9.]*\) s wall, \([0-9.]*\) s CPU.*/\2/p')
# One name, start-up included: five runs, the median wall time and the
# largest peak RSS.
one=()
for _ in 1 2 3 4 5; do
  one+=("$( { /usr/bin/time -f '%e %U %S %M' "$dualuse" screen --data-dir "$data" "Kim Jong Un" >/dev/null; } 2>&1 | tail -1)")
done
printf '%s\n' "${one[@]}" | sort -n | awk '{w[NR]=$1; c[NR]=$2+$3; if ($4>m) m=$4} END {
  printf "dualuse screen NAME (snapshot): median %.3f s wall of 5 (min %.3f, max %.3f), %.3f s CPU (median run), peak RSS %.0f MiB\n", w[3], w[1], w[5], c[3], m/1024}'
# The whole CLI run on the N names.
cli=$( { /usr/bin/time -v "$dualuse" screen --data-dir "$data" --input "$work/queries.csv" --format jsonl >"$work/cli.jsonl"; } 2>&1 || true)
cli_wall=$(echo "$cli" | sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
cli_rss=$(echo "$cli" | sed -n 's/.*Maximum resident set size (kbytes): //p')
cli_cpu=$(echo "$cli" | awk -F': ' '/User time|System time/ {s+=$2} END {printf "%.3f", s}')
echo "dualuse screen --input (${n} names, snapshot, CLI end to end): ${cli_wall} s wall, ${cli_cpu} s CPU, peak RSS $((cli_rss / 1024)) MiB ($(wc -l <"$work/cli.jsonl") results)"
awk -v p="$pg_ms" -v t="$snap_total" -v c="$snap_cpu" -v w="$cli_wall" -v n="$n" -v l="$(uptime | sed 's/.*load average: //')" 'BEGIN{
  printf "speed-up (snapshot): %d names: pg_trgm query time alone %.3f s / dualuse %.3f s wall start-up included (%.3f s CPU) = %.1fx; CLI end to end %.3f s = %.1fx (load average %s)\n",
    n, p/1000, t, c, (p/1000)/t, w, (p/1000)/w, l}'
