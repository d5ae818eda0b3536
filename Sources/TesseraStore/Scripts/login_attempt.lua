-- login_attempt.lua: reserves one password check for a name (and a client), before any hashing.
-- A name gets at most `threshold` checks per window, failures and checks in flight together,
-- however many requests arrive at once; a client address likewise gets `ip_limit`. A locked
-- name gets nothing, whatever the password. The reservation ends when the check settles
-- (login.lua, login_failed.lua, change_password.lua or a release), or by itself after
-- `hold_ms` if the node died mid-check. It also reads the user, so the check needs no second
-- round trip. None of these keys is a projection: they are rate-limit windows, not state of
-- record, and expire by themselves.
-- ARGV: prefix, now_ms, username (lower-cased), client key ('' for none), threshold (0: no name
--       limit), ip_limit (0: no client limit), window_ms, hold_ms, reservation token
-- Values: user_id, username, password_hash, disabled ('1') and roles (a JSON array) when the
--         name exists.
-- Rejections: locked (detail: until, ms), busy (detail: until, ms: checks already in flight use
--             up the name's allowance), address (the client's allowance is used up).
local prefix, now = ARGV[1], tonumber(ARGV[2])
local username, client = ARGV[3], ARGV[4]
local threshold, ip_limit, window, hold = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local token = ARGV[9]

local locked_until = tonumber(redis.call('HGET', tessera.key(prefix, 'lock', username), 'until') or '0')
if locked_until > now then return tessera.reject('locked', tessera.int(locked_until)) end

-- Failures within the window and unexpired reservations, after dropping what has aged out.
local function in_use(failures_key, attempts_key)
  redis.call('ZREMRANGEBYSCORE', failures_key, '-inf', '(' .. tessera.int(now - window))
  redis.call('ZREMRANGEBYSCORE', attempts_key, '-inf', tessera.int(now))
  return redis.call('ZCARD', failures_key), redis.call('ZCARD', attempts_key)
end

local name_attempts = tessera.key(prefix, 'attempts', username)
if threshold > 0 then
  local failures, pending = in_use(tessera.key(prefix, 'failures', username), name_attempts)
  if failures + pending >= threshold then
    local first = redis.call('ZRANGE', name_attempts, 0, 0, 'WITHSCORES')
    return tessera.reject('busy', first[2] or tessera.int(now + 1000))
  end
end
local ip_attempts = tessera.key(prefix, 'ip-attempts', client)
if ip_limit > 0 and client ~= '' then
  local failures, pending = in_use(tessera.key(prefix, 'ip-failures', client), ip_attempts)
  if failures + pending >= ip_limit then return tessera.reject('address', '') end
end

redis.call('ZADD', name_attempts, now + hold, token)
redis.call('PEXPIRE', name_attempts, hold)
if client ~= '' then
  redis.call('ZADD', ip_attempts, now + hold, token)
  redis.call('PEXPIRE', ip_attempts, hold)
end

local values = {}
local user_id = redis.call('GET', tessera.key(prefix, 'username', username))
if user_id then
  local user = redis.call('HMGET', tessera.key(prefix, 'user', user_id), 'password_hash', 'disabled', 'username', 'roles')
  if user[1] then
    values = {'user_id', user_id, 'username', user[3] or username, 'password_hash', user[1], 'disabled', user[2] or '0',
      'roles', user[4] or '[]'}
  end
end
return tessera.ok(values)
