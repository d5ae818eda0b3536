-- revoke_token.lua: revokes one access token by its jti (AccessTokenRevoked, RFC 7009).
-- Revoking an already revoked token appends nothing.
-- ARGV: prefix, AccessTokenRevoked data (user_id, jti, sid, expires_at)
local prefix, data_json = ARGV[1], ARGV[2]
local data = cjson.decode(data_json)
if not redis.call('ZSCORE', tessera.key(prefix, 'revoked-tokens'), data.jti) then
  tessera.append(prefix, 'AccessTokenRevoked', 1, data_json)
end
return tessera.ok()
