-- revoke_sessions.lua: revokes sessions of one user, one SessionRevoked per session.
-- mode 'one': the session ARGV[5] (must be the user's and live, else not_found);
-- mode 'all': every live session; mode 'others': every live session but ARGV[5].
-- ARGV: prefix, user_id, reason, mode, sid, now_ms
-- Rejections: not_found (mode 'one' only).
local prefix, user_id, reason, mode, sid, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
if mode == 'one' then
  if not tessera.is_live_session(prefix, user_id, sid, now) then
    return tessera.reject('not_found', 'no such live session of this user')
  end
  tessera.revoke_session(prefix, user_id, sid, reason)
elseif mode == 'all' then
  tessera.revoke_sessions(prefix, user_id, reason, nil, now)
elseif mode == 'others' then
  tessera.revoke_sessions(prefix, user_id, reason, sid, now)
else
  error('revoke_sessions.lua: unknown mode ' .. tostring(mode))
end
return tessera.ok()
