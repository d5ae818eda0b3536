-- admin_user.lua: an admin's action on one user.
--   logout:  UserLoggedOutEverywhere (not_before, expires_at) + SessionRevoked(forced_logout) per session
--   disable: UserDisabled (not_before, expires_at) + SessionRevoked(user_disabled) per session
--   enable:  UserEnabled (nothing when not disabled)
--   roles:   RolesChanged
-- ARGV: prefix, action, user_id, not_before (NumericDate seconds), roles (JSON array, for roles), now_ms
-- Rejections: not_found (no such user).
local prefix, action, user_id, not_before, roles_json, now = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5], tonumber(ARGV[6])
local disabled = redis.call('HGET', tessera.key(prefix, 'user', user_id), 'disabled')
if not disabled then return tessera.reject('not_found', 'no such user') end
if action == 'logout' or action == 'disable' then
  local event_type = action == 'logout' and 'UserLoggedOutEverywhere' or 'UserDisabled'
  tessera.emit(prefix, event_type, 1,
    {user_id = user_id, not_before = not_before, expires_at = tessera.not_before_until(prefix, user_id, not_before)})
  tessera.revoke_sessions(prefix, user_id, action == 'logout' and 'forced_logout' or 'user_disabled', nil, now)
elseif action == 'enable' then
  if disabled == '1' then tessera.emit(prefix, 'UserEnabled', 1, {user_id = user_id}) end
elseif action == 'roles' then
  tessera.emit(prefix, 'RolesChanged', 1, {user_id = user_id, roles = tessera.array(cjson.decode(roles_json))})
else
  error('admin_user.lua: unknown action ' .. tostring(action))
end
return tessera.ok()
