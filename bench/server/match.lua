-- wrk script: POST /match/default in yente's request shape, one query per
-- request (a Company and a Person with birth date alternating).
-- Token from $DUALUSE_TOKEN.
local token = os.getenv("DUALUSE_TOKEN") or ""
local bodies = {
  '{"queries": {"q1": {"schema": "Company", "properties": {"name": ["Korea Mining Development Trading Corporation"], "country": ["kp"]}}}}',
  '{"queries": {"q1": {"schema": "Person", "properties": {"name": ["Ivan Petrov"], "birthDate": ["1970-01-01"], "nationality": ["ru"]}}}}',
  '{"queries": {"q1": {"schema": "Organization", "properties": {"name": ["Congomet Trading House"]}}}}',
  '{"queries": {"q1": {"schema": "Person", "properties": {"name": ["Maria Schmidt"]}}}}',
}
local i = 0

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token

request = function()
  i = i % #bodies + 1
  return wrk.format(nil, "/match/default", nil, bodies[i])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("summary: %d requests, %.0f req/s, p50 %.2f ms, p99 %.2f ms, " ..
    "errors connect %d read %d write %d status %d timeout %d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect, e.read, e.write, e.status, e.timeout))
end
