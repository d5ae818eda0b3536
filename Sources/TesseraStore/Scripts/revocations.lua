-- revocations.lua: a snapshot of the revocation projection and the log position it reflects,
-- read in one script so nothing is appended between the two. Entries that no unexpired token
-- could match any more are left out.
-- ARGV: prefix, now_ms
-- Returns: {head id or '0-0', {sid, until_ms, ...}, {jti, until_ms, ...}, {user_id, not_before_s, ...}}
local prefix, now = ARGV[1], tonumber(ARGV[2])
local newest = redis.call('XREVRANGE', tessera.key(prefix, 'events'), '+', '-', 'COUNT', 1)
local head = '0-0'
if newest[1] then head = newest[1][1] end
local sessions = redis.call('ZRANGEBYSCORE', tessera.key(prefix, 'revoked-sessions'), '(' .. now, '+inf', 'WITHSCORES')
local tokens = redis.call('ZRANGEBYSCORE', tessera.key(prefix, 'revoked-tokens'), '(' .. now, '+inf', 'WITHSCORES')
local not_before = redis.call('ZRANGEBYSCORE', tessera.key(prefix, 'not-before'), '-inf', '+inf', 'WITHSCORES')
return {head, sessions, tokens, not_before}
