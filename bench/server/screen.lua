-- wrk script: single-name POST /screen, the names rotating over a small set
-- of listed and unlisted parties. Token from $DUALUSE_TOKEN.
-- wrk -t2 -c64 -d20s --latency -s bench/server/screen.lua http://127.0.0.1:PORT
local token = os.getenv("DUALUSE_TOKEN") or ""
local names = {
  "Korea Mining Development Trading Corporation", "Ivan Petrov", "Congomet Trading House",
  "Example Telecom Co., Ltd", "Great Lakes Business Company", "Maria Schmidt",
  "Tanchon Commercial Bank", "Acme Precision Machining GmbH",
}
local bodies = {}
for i, n in ipairs(names) do bodies[i] = '{"name": "' .. n .. '"}' end
local i = 0

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token

request = function()
  i = i % #bodies + 1
  return wrk.format(nil, "/screen", nil, bodies[i])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("summary: %d requests, %.0f req/s, p50 %.2f ms, p99 %.2f ms, " ..
    "errors connect %d read %d write %d status %d timeout %d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect, e.read, e.write, e.status, e.timeout))
end
