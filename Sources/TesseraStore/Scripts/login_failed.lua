-- login_failed.lua: settles a reserved password check that failed (LoginFailed) and, when the
-- name has failed `threshold` times within the window, locks it (UserLockedOut citing those
-- failures). Lock durations start at base_seconds and double per consecutive lockout up to
-- max_seconds. The failure windows are rate-limit keys, not projections (see login_attempt.lua).
-- ARGV: prefix, LoginFailed data (user_id?, username lower-cased, ip, reason), threshold,
--       base_seconds, max_seconds, ip_limit, window_ms, reservation token
-- Values: locked_until (ms; 0 when this failure did not lock the name).
local prefix, failed_json = ARGV[1], ARGV[2]
local threshold, base, max = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local ip_limit, window, token = tonumber(ARGV[6]), tonumber(ARGV[7]), ARGV[8]
local failed = cjson.decode(failed_json)
tessera.release_attempt(prefix, failed.username, failed.ip, token)
local id = tessera.append(prefix, 'LoginFailed', 1, failed_json)
local now = tessera.ms(id)

local function count(key)
  redis.call('ZADD', key, now, id)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. tessera.int(now - window))
  redis.call('PEXPIRE', key, window)
end
local by_name = tessera.key(prefix, 'failures', failed.username)
count(by_name)
if ip_limit > 0 and failed.ip ~= '' then count(tessera.key(prefix, 'ip-failures', failed.ip)) end

local locked_until = 0
local failures = redis.call('ZRANGEBYSCORE', by_name, now - window, '+inf')
if threshold > 0 and #failures >= threshold then
  local level = tonumber(redis.call('HGET', tessera.key(prefix, 'lock', failed.username), 'level') or '-1') + 1
  local seconds = math.min(base * (2 ^ level), max)
  locked_until = now + seconds * 1000
  local lockout = {username = failed.username, failures = failures, ['until'] = locked_until, level = level}
  if failed.user_id then lockout.user_id = failed.user_id end
  tessera.emit(prefix, 'UserLockedOut', 1, lockout)
end
return tessera.ok({'locked_until', tessera.int(locked_until)})
