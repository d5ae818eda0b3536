-- refresh.lua: rotates a refresh token (TokenRefreshed). The presented token's hash must be the
-- session's current one; a previous generation is reuse: RefreshReuseDetected, then the
-- session is revoked (SessionRevoked, reason refresh_reuse). Checking here, inside one script,
-- is what makes exactly one of many concurrent presentations win.
-- Within the reuse grace (--refresh-reuse-grace), the token just rotated away may be presented
-- again for the same answer: the new refresh token, sealed by Swift with a key only the holder
-- of the presented token can derive, waits in grace:<presented hash> for the grace period. That
-- key is a cache with a TTL, not a projection: replay neither writes nor compares it.
-- ARGV: prefix, now_ms, presented hash, new hash, new access expiry (ms), new session expiry (ms),
--       reuse grace (ms), ip, user agent, sealed new token ('' when grace is 0)
-- Values: outcome (rotated, grace or reused), sid, user_id; with rotated and grace the user's
--         username and the roles the new access token may carry (a JSON array: the session's
--         granted scope intersected with the user's current roles, so a refresh never widens
--         the grant and a role removed since the login drops), so the access token needs no
--         second read; with grace also sealed and access_expires_at (ms) of the rotation it repeats.
-- Rejections: unknown_token, session_revoked, expired, disabled.
local prefix, now = ARGV[1], tonumber(ARGV[2])
local presented, fresh = ARGV[3], ARGV[4]
local access_expires_at, expires_at, grace = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local sid = redis.call('GET', tessera.key(prefix, 'refresh', presented))
if not sid then return tessera.reject('unknown_token', 'unknown refresh token') end
local session = tessera.key(prefix, 'session', sid)
local s = redis.call('HMGET', session, 'user_id', 'refresh_hash', 'expires_at', 'revoked_at', 'previous_hash', 'rotated_at', 'scope')
local user_id, current, session_expires, revoked_at, previous, rotated_at = s[1], s[2], tonumber(s[3] or '0'), s[4], s[5], tonumber(s[6] or '0')
if not user_id or revoked_at then return tessera.reject('session_revoked', 'session revoked') end
if session_expires <= now then return tessera.reject('expired', 'refresh token expired') end
local user = redis.call('HMGET', tessera.key(prefix, 'user', user_id), 'disabled', 'username', 'roles')
if user[1] == '1' then return tessera.reject('disabled', 'user is disabled') end
local username, roles = user[2] or '', user[3] or '[]'
if s[7] then
  local granted = {}
  for _, role in ipairs(cjson.decode(s[7])) do granted[role] = true end
  local kept = {}
  for _, role in ipairs(cjson.decode(roles)) do
    if granted[role] then kept[#kept + 1] = role end
  end
  roles = tessera.encode(tessera.array(kept))
end
if presented ~= current then
  if grace > 0 and presented == previous and now - rotated_at <= grace then
    local sealed = redis.call('GET', tessera.key(prefix, 'grace', presented))
    if sealed then
      local access = redis.call('HGET', session, 'access_expires_at')
      return tessera.ok({'outcome', 'grace', 'sid', sid, 'user_id', user_id, 'username', username, 'roles', roles,
        'sealed', sealed, 'access_expires_at', access})
    end
  end
  tessera.emit(prefix, 'RefreshReuseDetected', 1, {user_id = user_id, sid = sid, refresh_hash = presented})
  tessera.revoke_session(prefix, user_id, sid, 'refresh_reuse')
  return tessera.ok({'outcome', 'reused', 'sid', sid, 'user_id', user_id})
end
tessera.emit(prefix, 'TokenRefreshed', 1, {
  user_id = user_id, sid = sid, refresh_hash = fresh, previous_hash = presented,
  access_expires_at = access_expires_at, expires_at = expires_at, ip = ARGV[8], user_agent = ARGV[9]})
if grace > 0 and ARGV[10] ~= '' then
  redis.call('SET', tessera.key(prefix, 'grace', presented), ARGV[10], 'PX', grace)
end
return tessera.ok({'outcome', 'rotated', 'sid', sid, 'user_id', user_id, 'username', username, 'roles', roles})
