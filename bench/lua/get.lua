-- wrk script: GET artifacts, cycling over pre-uploaded hashes.
-- usage: wrk ... -s get.lua <url> -- <hashes-file> <token> <slug> [pause-share]
-- <token> is the bearer token of every request, or @<file> for one token per line, each request
-- taking the next (with more tokens than the server remembers, every request's token is new to it).
-- pause-share (0..1, default 0): the share of a connection's requests that wait 1 ms before they
-- are sent. wrk's pauses are whole milliseconds, so a share is how to run two servers below the
-- rate either can carry with the same pauses; 0 is the closed loop at full speed. wrk starts a
-- request's clock when it sends the request, so the pause is not in the latency.
-- Each thread starts at a different offset in the list; requests are prebuilt in init so the
-- client spends no time formatting them. The machine-readable summary line is printed by done().

local next_id = 0
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

local reqs = {}
local idx = 0

function init(args)
  local file, token, slug = args[1], args[2], args[3] or "bench"
  local pause_share = tonumber(args[4] or "0")
  if pause_share > 0 then
    -- wrk asks whether delay() exists after init, so defining it here switches pauses on.
    math.randomseed((id or 0) + 1)
    delay = function() if math.random() < pause_share then return 1 end return 0 end
  end
  local hashes, tokens = {}, {}
  for line in io.lines(file) do
    if #line > 0 then hashes[#hashes + 1] = line end
  end
  assert(#hashes > 0, "no hashes in " .. file)
  if token:sub(1, 1) == "@" then
    for line in io.lines(token:sub(2)) do
      if #line > 0 then tokens[#tokens + 1] = line end
    end
    assert(#tokens > 0, "no tokens in " .. token:sub(2))
  else
    tokens[1] = token
  end
  for i = 1, math.max(#hashes, #tokens) do
    local headers = { ["Authorization"] = "Bearer " .. tokens[(i - 1) % #tokens + 1] }
    reqs[i] = wrk.format("GET", "/v8/artifacts/" .. hashes[(i - 1) % #hashes + 1] .. "?slug=" .. slug, headers)
  end
  idx = ((id or 0) * 7) % #reqs
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
