-- wrk script for bench_web.py: cycles through prepared requests, prints one JSON line.
-- Usage: wrk -t1 -c32 -d30s -s bench/wrk.lua http://127.0.0.1:PORT -- FILE
-- FILE: one request per line, "METHOD<TAB>PATH<TAB>HEADERS<TAB>BODY" where HEADERS is
-- "Name: value" pairs joined by "|" and BODY may be empty.
local requests = {}
local counter = 0

function init(args)
  for line in io.lines(args[1]) do
    local method, path, head, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    local headers = {}
    for pair in head:gmatch("[^|]+") do
      local name, value = pair:match("^([^:]+):%s*(.*)$")
      headers[name] = value
    end
    if body == "" then body = nil end
    requests[#requests + 1] = wrk.format(method, path, headers, body)
  end
end

function request()
  counter = counter + 1
  return requests[(counter - 1) % #requests + 1]
end

function done(summary, latency, requests_made)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "errors": %d, "p50_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
