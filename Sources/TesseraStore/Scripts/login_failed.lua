-- login_failed.lua: records a failed login (LoginFailed) and, when the name has failed
-- `threshold` times within the window, locks it (UserLockedOut citing those failures).
-- Lock durations start at base_seconds and double per consecutive lockout up to max_seconds.
-- ARGV: prefix, LoginFailed data (user_id?, username lower-cased, ip, reason), threshold,
--       base_seconds, max_seconds
-- Values: locked_until (ms; 0 when this failure did not lock the name).
local prefix, failed_json = ARGV[1], ARGV[2]
local threshold, base, max = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local failed = cjson.decode(failed_json)
local id = tessera.append(prefix, 'LoginFailed', 1, failed_json)
local now = tessera.ms(id)
local failures = redis.call('ZRANGEBYSCORE', tessera.key(prefix, 'failures', failed.username),
  now - tessera.FAILURE_WINDOW_MS, '+inf')
local locked_until = 0
if threshold > 0 and #failures >= threshold then
  local level = tonumber(redis.call('HGET', tessera.key(prefix, 'lock', failed.username), 'level') or '-1') + 1
  local seconds = math.min(base * (2 ^ level), max)
  locked_until = now + seconds * 1000
  local lockout = {username = failed.username, failures = failures, ['until'] = locked_until, level = level}
  if failed.user_id then lockout.user_id = failed.user_id end
  tessera.emit(prefix, 'UserLockedOut', 1, lockout)
end
return tessera.ok({'locked_until', tessera.int(locked_until)})
