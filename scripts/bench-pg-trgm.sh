#!/usr/bin/env bash
# PostgreSQL pg_trgm baseline for the screening benchmark (issue #3).
#
# Starts a throwaway PostgreSQL cluster in /tmp (as user postgres), loads the
# names of the same lists dualuse screens (UN + OFAC legacy CSV + CSL) into a
# table with a GIN trigram index, and runs the same N query names
# (default 20,000 from negatives_us.csv) with pg_trgm.similarity_threshold 0.6,
# top 5 per name. Reports the query time alone (EXPLAIN ANALYZE execution time,
# loading and index build excluded), then runs dualuse on the same names with
# list loading included, side by side.
#
# usage: scripts/bench-pg-trgm.sh [BUILD_DIR] [N]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-screening}
n=${2:-20000}
shared=${DUALUSE_SHARED:-$(cd .. && pwd)/shared}
lists=(--list "$shared/data/lists/un_sc/un_consolidated_2026-02-27.xml"
       --list "$shared/data/lists/ofac_sdn/legacy_csv_2022-01-31"
       --list "$shared/data/lists/us_csl/consolidated_2026-07-31.csv")
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
pg_ms=$(echo "$plan" | sed -n 's/^Execution Time: \([0-9.]*\) ms$/\1/p')
pg_rows=$(echo "$plan" | sed -n 's/.*Nested Loop.*rows=\([0-9]*\).*/\1/p' | head -1)
echo "pg_trgm: $count list names, GIN trigram index, similarity_threshold 0.6, top 5"
echo "pg_trgm: $n query names, query time alone $(awk -v m="$pg_ms" 'BEGIN{printf "%.3f", m/1000}') s (result rows $pg_rows)"

ours=$("$bench" screen "${lists[@]}" --queries "$work/queries.csv" --expect clear)
echo "$ours" | sed 's/^/dualuse: /'
total=$(echo "$ours" | sed -n 's/.*total with loading \([0-9.]*\) s wall.*/\1/p')
awk -v p="$pg_ms" -v t="$total" 'BEGIN{printf "speed-up: pg_trgm query time %.3f s / dualuse load+screen %.3f s = %.1fx\n", p/1000, t, (p/1000)/t}'
