-- POST /token refresh grant with rotating refresh tokens. Each session's refresh token is
-- used exactly once: the token in a 200 answer goes back into the queue for the next request
-- (presenting a spent token would be reuse and revoke the session).
local queue = {}
local head, tail = 1, 0

local function push(token) tail = tail + 1; queue[tail] = token end

function setup(thread) end

function init(args)
    for line in io.lines(os.getenv("REFRESH_TOKENS")) do push(line) end
end

request = function()
    local token = "spent"
    if head <= tail then token = queue[head]; queue[head] = nil; head = head + 1 end
    return wrk.format("POST", "/token", {["Content-Type"] = "application/x-www-form-urlencoded"},
        "grant_type=refresh_token&refresh_token=" .. token)
end

response = function(status, headers, body)
    local token = body:match('"refresh_token"%s*:%s*"([^"]+)"')
    if token then push(token) end
end
