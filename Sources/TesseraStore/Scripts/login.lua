-- login.lua: opens a session after Swift verified the password (LoginSucceeded), optionally
-- upgrading the stored hash (PasswordRehashed).
-- Preconditions, checked here so nothing races them: the user still exists, is not disabled,
-- still has the hash that was verified, and the name is not locked out.
-- It settles the password check login_attempt.lua reserved, whatever it answers.
-- ARGV: prefix, now_ms, verified password hash, LoginSucceeded data, PasswordRehashed data or '',
--       client key, reservation token
-- Rejections: not_found (user gone), disabled, password_changed (the hash changed meanwhile),
--             locked (detail: until, ms).
local prefix, now = ARGV[1], tonumber(ARGV[2])
local verified_hash, login_json, rehash_json = ARGV[3], ARGV[4], ARGV[5]
local login = cjson.decode(login_json)
tessera.release_attempt(prefix, login.username, ARGV[6], ARGV[7])
local user = tessera.key(prefix, 'user', login.user_id)
local stored = redis.call('HMGET', user, 'password_hash', 'disabled')
if not stored[1] then return tessera.reject('not_found', 'no such user') end
if stored[2] == '1' then return tessera.reject('disabled', 'user is disabled') end
if stored[1] ~= verified_hash then return tessera.reject('password_changed', 'the password changed meanwhile') end
local locked_until = tonumber(redis.call('HGET', tessera.key(prefix, 'lock', login.username), 'until') or '0')
if locked_until > now then
  return tessera.reject('locked', tessera.int(locked_until))
end
if rehash_json ~= '' then tessera.append(prefix, 'PasswordRehashed', 1, rehash_json) end
tessera.append(prefix, 'LoginSucceeded', 1, login_json)
return tessera.ok()
