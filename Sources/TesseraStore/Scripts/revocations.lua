-- revocations.lua: a snapshot of the revocation projection and the log position it reflects,
-- read in one script so nothing is appended between the two. Entries that no unexpired token
-- could match any more are left out. It reads only the log and the revocation keys (events,
-- revoked-sessions, revoked-tokens, not-before, not-before-at) and writes nothing, so it runs as
-- EVALSHA_RO for a reader whose ACL allows nothing else.
-- ARGV: prefix, now_ms
-- Returns: {head id or '0-0', {sid, until_ms, ...}, {jti, until_ms, ...},
--           {user_id, not_before_s, ...}, {user_id, until_ms, ...}}
local prefix, now = ARGV[1], tonumber(ARGV[2])
local newest = redis.call('XREVRANGE', tessera.key(prefix, 'events'), '+', '-', 'COUNT', 1)
local head = '0-0'
if newest[1] then head = newest[1][1] end
local sessions = redis.call('ZRANGEBYSCORE', tessera.key(prefix, 'revoked-sessions'), '(' .. now, '+inf', 'WITHSCORES')
local tokens = redis.call('ZRANGEBYSCORE', tessera.key(prefix, 'revoked-tokens'), '(' .. now, '+inf', 'WITHSCORES')
local keep_until = redis.call('ZRANGEBYSCORE', tessera.key(prefix, 'not-before'), '(' .. now, '+inf', 'WITHSCORES')
local not_before = {}
for i = 1, #keep_until, 2 do
  local user_id = keep_until[i]
  not_before[#not_before + 1] = user_id
  not_before[#not_before + 1] = redis.call('HGET', tessera.key(prefix, 'not-before-at'), user_id) or '0'
end
return {head, sessions, tokens, not_before, keep_until}
