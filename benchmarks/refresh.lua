-- POST /token refresh grant with rotating refresh tokens, counting only real refreshes.
--
-- REFRESH_TOKENS holds one refresh token per session, more sessions than connections. A token
-- is presented once; the new token of a 200 answer goes back into the queue. A token whose
-- answer is not a 200, or that is lost with its connection, is gone: the spare sessions cover
-- that. No made-up token is ever sent (a fake one answers 400 fast and inflated the rate).
-- wrk itself takes one token: before connecting it calls request() once on the first thread
-- (script_verify_request) and never sends that request.
-- If the queue runs dry anyway the thread stops sending; done() prints the counts, which
-- wrk-table.py reads (a row with starved > 0 is not a valid measurement).
local queue = {}
local head, tail = 1, 0
local threads = {}

local function push(token) tail = tail + 1; queue[tail] = token end

function setup(thread) threads[#threads + 1] = thread end

function init(args)
    for line in io.lines(os.getenv("REFRESH_TOKENS")) do push(line) end
    counts = {}
    starved = 0
end

request = function()
    if head > tail then
        starved = starved + 1
        wrk.thread:stop()
        return wrk.format("GET", "/healthz")
    end
    local token = queue[head]
    queue[head] = nil
    head = head + 1
    return wrk.format("POST", "/token", {["Content-Type"] = "application/x-www-form-urlencoded"},
        "grant_type=refresh_token&refresh_token=" .. token)
end

response = function(status, headers, body)
    local token = status == 200 and body:match('"refresh_token"%s*:%s*"([^"]+)"')
    if token then push(token) end
    local key = (status ~= 200 or token) and tostring(status) or "200-without-token"
    counts[key] = (counts[key] or 0) + 1
end

function done(summary, latency, requests)
    local total, starved = {}, 0
    for _, thread in ipairs(threads) do
        for status, count in pairs(thread:get("counts")) do total[status] = (total[status] or 0) + count end
        starved = starved + thread:get("starved")
    end
    local parts = {}
    for status, count in pairs(total) do parts[#parts + 1] = status .. ":" .. count end
    table.sort(parts)
    io.write("status counts: " .. table.concat(parts, ",") .. "\n")
    io.write("refresh tokens: starved=" .. starved .. "\n")
end
