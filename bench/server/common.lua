-- Shared by the wrk scripts: POSTs the bodies of a file (one JSON per line)
-- in turn to one path, and prints the summary line bench/server/run.sh reads
-- (server_loadgen prints the same line).
local M = {}
local bodies, path, i = {}, "/", 0

function M.setup(p, file)
  path = p
  for line in io.lines(file) do
    if #line > 0 then bodies[#bodies + 1] = line end
  end
  assert(#bodies > 0, file .. ": no request bodies")
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. (os.getenv("DUALUSE_TOKEN") or "")
end

function M.request()
  i = i % #bodies + 1
  return wrk.format(nil, path, nil, bodies[i])
end

function M.done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("summary: %d requests, %.0f req/s, p50 %.2f ms, p99 %.2f ms, " ..
    "errors connect %d read %d write %d status %d timeout %d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect, e.read, e.write, e.status, e.timeout))
end

return M
