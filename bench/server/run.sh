#!/usr/bin/env bash
# Load test of `dualuse serve` on loopback: /screen and /match at 64
# connections (wrk -t2 -c64 -d20s --latency), against the UN list of
# ../shared, with a fresh SQLite store (every request is recorded).
# Usage: bash bench/server/run.sh [build/dualuse] [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-build/dualuse}
secs=${2:-20}
list=../shared/data/lists/un_sc/un_consolidated_2026-02-27.xml
data=$(mktemp -d)
trap 'kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data"' EXIT

"$bin" users add bench --role officer --data-dir "$data" >/dev/null
export DUALUSE_TOKEN=$("$bin" users token bench --data-dir "$data")
"$bin" serve --port 0 --data-dir "$data" --list "$list" >"$data/serve.out" 2>"$data/serve.err" &
pid=$!
for _ in $(seq 1 600); do
  port=$(grep -o 'http://127.0.0.1:[0-9]*' "$data/serve.out" 2>/dev/null | cut -d: -f3 || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$data/serve.err"; exit 1; }
url=http://127.0.0.1:$port
# Warm the token cache (one Argon2id verification) before measuring.
curl -s -o /dev/null -H "Authorization: Bearer $DUALUSE_TOKEN" "$url/me"

for script in screen match; do
  echo "== /$script: wrk -t2 -c64 -d${secs}s --latency"
  wrk -t2 -c64 -d"${secs}s" --latency -s "bench/server/$script.lua" "$url"
done
echo "records written: $(curl -s -H "Authorization: Bearer $DUALUSE_TOKEN" "$url/records?limit=1" | grep -o '"id":[0-9]*' | head -1)"
