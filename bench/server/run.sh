#!/usr/bin/env bash
# Load test of `dualuse serve` on loopback: /screen and /match at 64
# connections against the bundled UN list, with a fresh SQLite store
# (every request is recorded, synchronous=FULL). Two measurements per endpoint:
#  - saturation: wrk -t2 -c64 -d<secs>s --latency (closed loop: each
#    connection sends its next request as soon as the answer arrives, so the
#    latency is that of a server with a full queue);
#  - fixed rate: build/bench/server_loadgen at each rate of $RATES (default
#    "2000 4000") over 64 connections (open loop, latency counted from the
#    scheduled send time, as wrk2 does; see bench/server/loadgen.cc).
# Usage: [RATES="2000 4000"] [SERVE_ARGS="--threads 96"] bash bench/server/run.sh [build/dualuse] [seconds] [endpoints...]
#   endpoints: screen match (default both)
#
# Prints, per endpoint and measurement, one "result:" line: requests, req/s,
# p50, p99, errors (connect/read/write/timeout and non-2xx) and the server's
# CPU time per request (user+system seconds of the server process from
# /proc/<pid>/stat, divided by the requests answered). CPU per request is the
# figure to compare on a shared machine; req/s and latencies depend on the
# load of the other processes. At the end the server is stopped with SIGTERM
# and the store is checked: a record for every 2xx answer, hash chain intact.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-build/dualuse}
loadgen=$(dirname "$bin")/bench/server_loadgen
rates=${RATES-2000 4000}
secs=${2:-20}
shift $(($# < 2 ? $# : 2))
endpoints=("$@")
[ ${#endpoints[@]} -gt 0 ] || endpoints=(screen match)
list=$(dirname "$bin")/data/lists/un_sc/un_consolidated_2026-02-27.xml
data=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$data"' EXIT

"$bin" users add bench --role officer --data-dir "$data" >/dev/null
export DUALUSE_TOKEN=$("$bin" users token bench --data-dir "$data")
# shellcheck disable=SC2086 # SERVE_ARGS: extra serve options, word-split
"$bin" serve --port 0 --data-dir "$data" --list "$list" ${SERVE_ARGS:-} >"$data/serve.out" 2>"$data/serve.err" &
pid=$!
port=
for _ in $(seq 1 600); do
  port=$(grep -o 'http://127.0.0.1:[0-9]*' "$data/serve.out" 2>/dev/null | cut -d: -f3 || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$data/serve.err"; exit 1; }
url=http://127.0.0.1:$port
# Warm the token cache (one Argon2id verification) before measuring.
curl -s -o /dev/null -H "Authorization: Bearer $DUALUSE_TOKEN" "$url/me"
answered=1 # the /me above is recorded too

tck=$(getconf CLK_TCK)
# user+system clock ticks of the server process (fields 14 and 15).
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
# The machine's own latency floor (a VM's vCPUs can be taken away by the host).
noise=$(dirname "$bin")/bench/cpu_noise
[ -x "$noise" ] && "$noise" 3
# One measurement: runs "$@" (which prints a summary: line), then prints the
# result: line for it.
measure() {
  local label=$1
  shift
  local t0 t1 line n rps p50 p99 econn eread ewrite estatus etimeout errors cpu_us
  t0=$(cpu_ticks)
  "$@" >"$data/load.out"
  t1=$(cpu_ticks)
  grep -vE '^summary:' "$data/load.out" | grep -E 'Latency|Req/Sec|requests in|Socket errors|Non-2xx|offered|latency from|behind|generator|^server ' || true
  # summary: N requests, R req/s, p50 X ms, p99 Y ms, errors connect a read b write c status d timeout e
  line=$(grep '^summary:' "$data/load.out")
  read -r n rps p50 p99 econn eread ewrite estatus etimeout < <(echo "$line" | sed -E \
    's/^summary: ([0-9]+) requests, ([0-9.]+) req\/s, p50 ([0-9.]+) ms, p99 ([0-9.]+) ms, errors connect ([0-9]+) read ([0-9]+) write ([0-9]+) status ([0-9]+) timeout ([0-9]+).*/\1 \2 \3 \4 \5 \6 \7 \8 \9/')
  errors=$((econn + eread + ewrite + estatus + etimeout))
  answered=$((answered + n - estatus))
  cpu_us=$(awk -v t="$((t1 - t0))" -v hz="$tck" -v n="$n" \
    'BEGIN { printf "%.0f", (n > 0 ? t / hz * 1e6 / n : 0) }')
  printf 'result: %s requests %d  req/s %s  p50 %s ms  p99 %s ms  errors %d  server CPU %s us/request (%.1f s)\n' \
    "$label" "$n" "$rps" "$p50" "$p99" "$errors" "$cpu_us" \
    "$(awk -v t="$((t1 - t0))" -v hz="$tck" 'BEGIN { print t / hz }')"
}

for script in "${endpoints[@]}"; do
  path=/$script
  [ "$script" = match ] && path=/match/default
  echo "== $path saturated: wrk -t2 -c64 -d${secs}s --latency"
  measure "$path saturated (wrk, 64 connections)" \
    wrk -t2 -c64 -d"${secs}s" --latency -s "bench/server/$script.lua" "$url"
  for rate in $rates; do
    [ -x "$loadgen" ] || { echo "error: $loadgen not built (-DDUALUSE_BENCH=ON)" >&2; exit 1; }
    echo "== $path at $rate req/s: server_loadgen, 64 connections, ${secs}s"
    measure "$path at $rate req/s (open loop, 64 connections)" \
      "$loadgen" --port "$port" --path "$path" --rate "$rate" --connections 64 \
      --seconds "$secs" --token "$DUALUSE_TOKEN" --body-file "bench/server/$script.bodies"
  done
done

# Stop the server as an operator would, then check the audit trail.
kill -TERM "$pid"
wait "$pid" || true
pid=
records=$(sqlite3 "$data/dualuse.db" 'SELECT count(*) FROM records')
# wrk stops with up to 64 requests in flight: the server records and answers
# them, wrk does not count them. So records >= answers; fewer is a lost record.
echo "records written: $records (2xx answers wrk counted: $answered)"
"$bin" audit verify --data-dir "$data" | tail -1
[ "$records" -ge "$answered" ] || { echo "error: $((answered - records)) records lost" >&2; exit 1; }
