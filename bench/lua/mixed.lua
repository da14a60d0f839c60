-- wrk script: many clients mixing lookups, downloads and uploads (SPEC §6: 200 concurrent
-- clients, zero errors).
-- usage: wrk ... -s mixed.lua <url> -- <hashes-file> <body-file> <token> <slug> <put-prefix> <put-keys-per-thread>
-- Requests cycle GET, query, GET, PUT as turbo sends them: the query is the batch existence check
-- `POST /v8/artifacts` for 4 hashes (turbo's lookup; it sends HEAD only when that route fails, and
-- wrk cannot do HEAD: its parser waits for the body a HEAD response announces but never sends).
-- GET and the query go to pre-uploaded hashes (every answer should be 200), PUT to each thread's
-- own rotating hashes (202), so any status from 400 up counts as an error in wrk's summary.
-- Requests are prebuilt in init.

local next_id = 0
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

local reqs = {}
local idx = 0

function init(args)
  local hashes, file, token, slug, prefix, nkeys =
    args[1], args[2], args[3], args[4], args[5], tonumber(args[6])
  local f = assert(io.open(file, "rb"))
  local body = f:read("*a")
  f:close()
  local auth = { ["Authorization"] = "Bearer " .. token }
  local reads, hash_list = {}, {}
  for line in io.lines(hashes) do
    if #line > 0 then
      hash_list[#hash_list + 1] = line
      reads[#reads + 1] = "/v8/artifacts/" .. line .. "?slug=" .. slug
    end
  end
  local query_headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
  assert(#reads > 0, "no hashes in " .. hashes)
  local put_headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/octet-stream",
    ["x-artifact-duration"] = "1234",
  }
  local r = ((id or 0) * 7) % #reads
  for k = 0, nkeys - 1 do
    r = r % #reads + 1
    reqs[#reqs + 1] = wrk.format("GET", reads[r], auth)
    local names = {}
    for q = 1, 4 do
      names[q] = '"' .. hash_list[(r + q - 1) % #hash_list + 1] .. '"'
    end
    reqs[#reqs + 1] = wrk.format("POST", "/v8/artifacts?slug=" .. slug, query_headers,
      '{"hashes":[' .. table.concat(names, ",") .. "]}")
    r = r % #reads + 1
    reqs[#reqs + 1] = wrk.format("GET", reads[r], auth)
    local hash = prefix .. string.format("%02x%06x", id or 0, k)
    reqs[#reqs + 1] = wrk.format("PUT", "/v8/artifacts/" .. hash .. "?slug=" .. slug, put_headers, body)
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
