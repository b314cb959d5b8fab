-- wrk script: request the paths listed in the file named by BENCH_PATHS
-- (one URL path with its query string per line), each thread walking the
-- list from its own starting point, and print a machine-readable summary.
-- Usage: BENCH_PATHS=paths.txt wrk -s bench/wrk_queries.lua ... URL

local paths = {}
local next_thread_id = 0

function setup(thread)
  thread:set("id", next_thread_id)
  next_thread_id = next_thread_id + 1
end

function init(args)
  local file = assert(io.open(os.getenv("BENCH_PATHS"), "r"))
  for line in file:lines() do
    if line ~= "" then paths[#paths + 1] = line end
  end
  file:close()
  assert(#paths > 0, "no paths in BENCH_PATHS")
  -- Threads start far apart in the list so they do not ask the same thing.
  counter = ((id or 0) * 7919) % #paths
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests %d duration_us %d rps %.1f p50_us %d p90_us %d p99_us %d " ..
    "errors_connect %d errors_read %d errors_write %d errors_status %d errors_timeout %d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
