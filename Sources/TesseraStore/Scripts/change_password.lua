-- change_password.lua: PasswordChanged, then every OTHER session of the user is revoked
-- (SessionRevoked, reason password_change); the calling session survives.
-- Precondition: the stored hash is still the one Swift verified the current password against.
-- It settles the check of the current password that login_attempt.lua reserved.
-- ARGV: prefix, verified hash, PasswordChanged data (user_id, password_hash, sid),
--       username (lower-cased), client key, reservation token, now_ms
-- Rejections: not_found (no such user), password_changed (the hash changed meanwhile).
local prefix, verified_hash, changed_json = ARGV[1], ARGV[2], ARGV[3]
local changed = cjson.decode(changed_json)
tessera.release_attempt(prefix, ARGV[4], ARGV[5], ARGV[6])
local stored = redis.call('HGET', tessera.key(prefix, 'user', changed.user_id), 'password_hash')
if not stored then return tessera.reject('not_found', 'no such user') end
if stored ~= verified_hash then return tessera.reject('password_changed', 'the password changed meanwhile') end
tessera.append(prefix, 'PasswordChanged', 1, changed_json)
tessera.revoke_sessions(prefix, changed.user_id, 'password_change', changed.sid, tonumber(ARGV[7]))
return tessera.ok()
