-- wrk script: PUT artifacts with the body loaded from a file.
-- usage: wrk ... -s put.lua <url> -- <body-file> <token> <slug> <hash-prefix> <keys-per-thread>
-- Each thread overwrites its own rotating set of <keys-per-thread> hashes
-- (<prefix><thread:2 hex><n:6 hex>), so every PUT is a full write of the body to storage while
-- the disk footprint stays bounded. Requests (with body) are prebuilt once per hash in init.

local next_id = 0
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

local reqs = {}
local idx = 0

function init(args)
  local file, token, slug, prefix, nkeys = args[1], args[2], args[3], args[4], tonumber(args[5])
  local f = assert(io.open(file, "rb"))
  local body = f:read("*a")
  f:close()
  for k = 0, nkeys - 1 do
    local hash = prefix .. string.format("%02x%06x", id or 0, k)
    local headers = {
      ["Authorization"] = "Bearer " .. token,
      ["Content-Type"] = "application/octet-stream",
      ["x-artifact-duration"] = "1234",
    }
    -- wrk.format adds Content-Length for the body.
    reqs[#reqs + 1] = wrk.format("PUT", "/v8/artifacts/" .. hash .. "?slug=" .. slug, headers, body)
  end
end

function request()
  idx = idx % #reqs + 1
  return reqs[idx]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d bytes=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.1f " ..
    "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
