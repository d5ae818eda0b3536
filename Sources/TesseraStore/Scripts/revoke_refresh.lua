-- revoke_refresh.lua: revokes the session of a refresh token (RFC 7009 with a refresh token):
-- SessionRevoked, reason revocation_endpoint. An unknown token, or one of a session already
-- revoked, appends nothing (the endpoint answers 200 either way).
-- ARGV: prefix, refresh token hash
local prefix, hash = ARGV[1], ARGV[2]
local sid = redis.call('GET', tessera.key(prefix, 'refresh', hash))
if not sid then return tessera.ok() end
local s = redis.call('HMGET', tessera.key(prefix, 'session', sid), 'user_id', 'revoked_at')
if not s[1] or s[2] then return tessera.ok() end
tessera.revoke_session(prefix, s[1], sid, 'revocation_endpoint')
return tessera.ok()
