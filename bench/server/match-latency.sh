#!/usr/bin/env bash
# Sequential POST /match/default latency of `dualuse serve` on loopback over
# the UN list and the US CSL of ../shared (one event-loop thread, a fresh
# SQLite store; every request is recorded): ten names, 20 rounds, at limit=5
# and limit=50. Prints per limit the mean, p50 and p95 latency, the mean
# number of results, and the server's CPU time per request (user+system from
# /proc/<pid>/stat): the figure to compare on a shared machine.
# Usage: bash bench/server/match-latency.sh [build/dualuse] [port]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-build/dualuse}
port=${2:-18337}
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
lists="--list ../shared/data/lists/un_sc/un_consolidated_2026-02-27.xml --list ../shared/data/lists/us_csl/consolidated_2026-07-31.csv"
"$bin" users --data-dir "$dir" add bench --role officer >/dev/null
token=$("$bin" users --data-dir "$dir" token bench | grep -o 'du_[A-Za-z0-9_]*' | head -1)
# shellcheck disable=SC2086
"$bin" serve --data-dir "$dir" $lists --port "$port" --threads 1 >"$dir/serve.log" 2>&1 &
pid=$!
for _ in $(seq 240); do curl -sf "localhost:$port/healthz" >/dev/null && break; sleep 0.5; done
python3 - "$port" "$token" "$pid" <<'PY'
import http.client, json, os, sys, time
port, token, pid = int(sys.argv[1]), sys.argv[2], sys.argv[3]
tick = os.sysconf("SC_CLK_TCK")
def cpu():
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / tick
names = ["Korea Mining Development Trading Corporation", "Ali Hassan", "Mohammed Ali",
         "Tanchon Commercial Bank", "Rosoboronexport", "Abdullah Ahmed", "Kim Jong", "Siemens AG",
         "John Smith", "Huawei Technologies"]
c = http.client.HTTPConnection("127.0.0.1", port)
h = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
for limit in (5, 50):
    times, results, cpu0 = [], 0, cpu()
    for _ in range(20):
        for n in names:
            body = json.dumps({"queries": {"q": {"schema": "LegalEntity", "properties": {"name": [n]}}}})
            t = time.perf_counter()
            c.request("POST", f"/match/default?limit={limit}&cutoff=0.5", body, h)
            r = c.getresponse()
            answer = json.loads(r.read())
            times.append(time.perf_counter() - t)
            assert r.status == 200, r.status
            results += len(answer["responses"]["q"]["results"])
    cpu_ms = 1000 * (cpu() - cpu0) / len(times)
    times.sort()
    print(f"limit={limit}: {len(times)} requests, mean {1000 * sum(times) / len(times):.2f} ms, "
          f"p50 {1000 * times[len(times) // 2]:.2f} ms, p95 {1000 * times[int(len(times) * .95)]:.2f} ms, "
          f"{results / len(times):.1f} results/request, server CPU {cpu_ms:.2f} ms/request")
PY
