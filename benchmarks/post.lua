-- A fixed request with a body, from environment variables (wrk's Lua cannot take arguments).
-- done() prints the answers by status, which wrk-table.py reads (wrk itself only counts non-2xx).
wrk.method = "POST"
wrk.body = os.getenv("WRK_BODY")
wrk.headers["Content-Type"] = os.getenv("WRK_CONTENT_TYPE")

local threads = {}

function setup(thread) threads[#threads + 1] = thread end

function init(args) counts = {} end

response = function(status, headers, body)
    counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
    local total = {}
    for _, thread in ipairs(threads) do
        for status, count in pairs(thread:get("counts")) do total[status] = (total[status] or 0) + count end
    end
    local parts = {}
    for status, count in pairs(total) do parts[#parts + 1] = status .. ":" .. count end
    table.sort(parts)
    io.write("status counts: " .. table.concat(parts, ",") .. "\n")
end
