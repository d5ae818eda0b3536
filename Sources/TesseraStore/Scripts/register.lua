-- register.lua: adds a user (UserRegistered or UserImported) if the username is free.
-- Usernames are unique case-insensitively; checking inside the script means two racing
-- registrations of one name cannot both win.
-- ARGV: prefix, event type, version, event data (JSON with user_id, username, password_hash, ...)
-- Rejections: conflict (the name is taken).
local prefix, event_type, version, data_json = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local data = cjson.decode(data_json)
if event_type ~= 'UserRegistered' and event_type ~= 'UserImported' then
  error('register.lua takes UserRegistered or UserImported, not ' .. tostring(event_type))
end
if redis.call('EXISTS', tessera.key(prefix, 'username', string.lower(data.username))) == 1 then
  return tessera.reject('conflict', 'username is taken')
end
tessera.append(prefix, event_type, version, data_json)
return tessera.ok()
