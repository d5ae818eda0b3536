-- lib.lua: prepended to every Tessera script (the Swift side concatenates lib.lua + the script).
--
-- It holds what every script shares: key naming, the append that writes an event AND its
-- projections in the same script (so both happen or neither), the projection of every event
-- type, and a JSON encoder with sorted keys for the few events a script composes itself.
--
-- Keys are built from the prefix in ARGV[1] rather than passed in KEYS: which keys an event
-- touches depends on data read inside the script (the session a refresh token belongs to).
-- That is fine on one primary with replicas (docs/architecture.md); on Redis Cluster every key
-- of a deployment must hash to one slot (docs/operations.md).

local tessera = {}

function tessera.key(prefix, ...)
  return prefix .. table.concat({...}, ':')
end

-- JSON with sorted object keys, matching the Swift encoder. Arrays are tables with a
-- positive integer sequence; `tessera.array` marks an empty table as an array.
local array_mark = {}
function tessera.array(t)
  return setmetatable(t or {}, array_mark)
end

local function encode(value)
  local kind = type(value)
  if kind == 'string' then
    return cjson.encode(value)
  elseif kind == 'number' then
    if value == math.floor(value) then return string.format('%d', value) end
    return cjson.encode(value)
  elseif kind == 'boolean' then
    return value and 'true' or 'false'
  elseif value == nil or value == cjson.null then
    return 'null'
  elseif kind == 'table' then
    if getmetatable(value) == array_mark or #value > 0 then
      local parts = {}
      for i = 1, #value do parts[i] = encode(value[i]) end
      return '[' .. table.concat(parts, ',') .. ']'
    end
    local names = {}
    for name in pairs(value) do names[#names + 1] = name end
    table.sort(names)
    local parts = {}
    for i, name in ipairs(names) do parts[i] = cjson.encode(name) .. ':' .. encode(value[name]) end
    return '{' .. table.concat(parts, ',') .. '}'
  end
  error('cannot encode a ' .. kind)
end
tessera.encode = encode

-- An integer as decimal text (tostring would switch to exponent notation for large values).
function tessera.int(value)
  return string.format('%d', value)
end

-- The millisecond part of a stream id.
function tessera.ms(id)
  return tonumber(string.match(id, '^(%d+)-'))
end

-- project[type](prefix, id, data): updates the projection keys for one event. Replay runs the
-- same functions over the log, so the projections are derivable from the log by construction.
tessera.project = {}

local function project_user(prefix, id, data, imported)
  local user = tessera.key(prefix, 'user', data.user_id)
  local roles = data.roles or tessera.array()
  redis.call('HSET', user,
    'id', data.user_id,
    'username', data.username,
    'password_hash', data.password_hash,
    'roles', encode(tessera.array(roles)),
    'disabled', (imported and data.disabled == true) and '1' or '0',
    'created_at', tessera.int(tessera.ms(id)))
  if data.email ~= nil and data.email ~= cjson.null then
    redis.call('HSET', user, 'email', data.email)
  end
  redis.call('SET', tessera.key(prefix, 'username', string.lower(data.username)), data.user_id)
end

tessera.project.UserRegistered = function(prefix, id, data) project_user(prefix, id, data, false) end
tessera.project.UserImported = function(prefix, id, data) project_user(prefix, id, data, true) end

-- Failed logins are counted, and password checks reserved, in keys that are not projections:
-- failures:<name>, ip-failures:<client>, attempts:<name> and ip-attempts:<client> are
-- rate-limit windows kept by the login scripts with the window the node passes in, and expire
-- by themselves. The log keeps every LoginFailed; the projection of a lockout is lock:<name>.
tessera.project.LoginFailed = function(prefix, id, data) end

-- A lock remembers its level (the next lockout's duration doubles) for a day after it ends.
tessera.LOCK_MEMORY_MS = 86400000
tessera.project.UserLockedOut = function(prefix, id, data)
  local lock = tessera.key(prefix, 'lock', data.username)
  redis.call('HSET', lock, 'until', tessera.int(data['until']), 'level', tessera.int(data.level))
  redis.call('PEXPIREAT', lock, tessera.int(data['until'] + tessera.LOCK_MEMORY_MS))
  redis.call('DEL', tessera.key(prefix, 'failures', data.username))
end

-- Raises a hash field holding an integer to `value` unless it already holds more: the latest
-- access-token expiry of a session or a user only ever grows, whatever TTL the issuing node had.
local function raise(key, field, value)
  local current = tonumber(redis.call('HGET', key, field) or '0')
  if value > current then redis.call('HSET', key, field, tessera.int(value)) end
end

-- A token was issued that expires at `access_expires_at`: its session's and its user's
-- revocations must outlive it.
local function issued(prefix, data)
  raise(tessera.key(prefix, 'session', data.sid), 'access_expires_max', data.access_expires_at)
  raise(tessera.key(prefix, 'user', data.user_id), 'access_expires_max', data.access_expires_at)
end

-- Entries of the revocation lists are dropped by the projection once they are this far past
-- their drop time (event time is Redis's clock; the margin covers nodes whose clocks lag it).
tessera.EXPIRED_ENTRY_MARGIN_MS = 300000

-- A session lives until `expires_at` (its current refresh token's expiry): it is listed in the
-- user's sessions (a sorted set by expiry, so revoking all of them touches live ones only), and
-- its keys expire then. The refresh token's key expires with the token: presenting an older
-- generation after that is an unknown token, not a reuse. Sessions of the user that expired by
-- the time of this event leave the list, so it holds live sessions only.
local function live_until(prefix, now, data)
  local sessions = tessera.key(prefix, 'sessions', data.user_id)
  redis.call('ZADD', sessions, data.expires_at, data.sid)
  redis.call('ZREMRANGEBYSCORE', sessions, '-inf', tessera.int(now))
  redis.call('PEXPIREAT', tessera.key(prefix, 'session', data.sid), tessera.int(data.expires_at))
  redis.call('PEXPIREAT', tessera.key(prefix, 'refresh', data.refresh_hash), tessera.int(data.expires_at))
end

tessera.project.LoginSucceeded = function(prefix, id, data)
  local now = tessera.ms(id)
  local session = tessera.key(prefix, 'session', data.sid)
  redis.call('HSET', session,
    'sid', data.sid, 'user_id', data.user_id, 'refresh_hash', data.refresh_hash,
    'created_at', tessera.int(now), 'last_used_at', tessera.int(now),
    'expires_at', tessera.int(data.expires_at), 'access_expires_at', tessera.int(data.access_expires_at),
    'ip', data.ip or '', 'user_agent', data.user_agent or '')
  if data.scope ~= nil and data.scope ~= cjson.null then
    redis.call('HSET', session, 'scope', encode(tessera.array(data.scope)))
  end
  issued(prefix, data)
  redis.call('SET', tessera.key(prefix, 'refresh', data.refresh_hash), data.sid)
  live_until(prefix, now, data)
  redis.call('DEL', tessera.key(prefix, 'failures', data.username), tessera.key(prefix, 'lock', data.username))
end

tessera.project.TokenRefreshed = function(prefix, id, data)
  local now = tessera.ms(id)
  redis.call('HSET', tessera.key(prefix, 'session', data.sid),
    'refresh_hash', data.refresh_hash, 'previous_hash', data.previous_hash, 'rotated_at', tessera.int(now),
    'last_used_at', tessera.int(now), 'expires_at', tessera.int(data.expires_at),
    'access_expires_at', tessera.int(data.access_expires_at))
  redis.call('SET', tessera.key(prefix, 'refresh', data.refresh_hash), data.sid)
  issued(prefix, data)
  live_until(prefix, now, data)
end

tessera.project.RefreshReuseDetected = function(prefix, id, data)
  redis.call('HSET', tessera.key(prefix, 'session', data.sid), 'reuse_detected_at', tessera.int(tessera.ms(id)))
end

-- A revoked session stays in the revocation list until every access token it ever issued has
-- expired (access_expires_at, carried by the event so every node can prune without a lookup).
tessera.project.SessionRevoked = function(prefix, id, data)
  local session = tessera.key(prefix, 'session', data.sid)
  redis.call('HSET', session, 'revoked_at', tessera.int(tessera.ms(id)), 'revoked_reason', data.reason)
  redis.call('ZREM', tessera.key(prefix, 'sessions', data.user_id), data.sid)
  local revoked = tessera.key(prefix, 'revoked-sessions')
  redis.call('ZADD', revoked, data.access_expires_at, data.sid)
  redis.call('ZREMRANGEBYSCORE', revoked, '-inf', tessera.int(tessera.ms(id) - tessera.EXPIRED_ENTRY_MARGIN_MS))
end

tessera.project.AccessTokenRevoked = function(prefix, id, data)
  local revoked = tessera.key(prefix, 'revoked-tokens')
  redis.call('ZADD', revoked, data.expires_at, data.jti)
  redis.call('ZREMRANGEBYSCORE', revoked, '-inf', tessera.int(tessera.ms(id) - tessera.EXPIRED_ENTRY_MARGIN_MS))
end

-- A user's not-before entry stays until the last access token issued to them before it has
-- expired (expires_at; events written before it existed keep the entry for a year).
tessera.NOT_BEFORE_LEGACY_LIFETIME_MS = 31536000000
tessera.project.UserLoggedOutEverywhere = function(prefix, id, data)
  redis.call('HSET', tessera.key(prefix, 'user', data.user_id), 'not_before', tessera.int(data.not_before))
  -- Also beside the revocation lists, so a reader of revocations needs no access to user:* keys.
  redis.call('HSET', tessera.key(prefix, 'not-before-at'), data.user_id, tessera.int(data.not_before))
  local keep_until = data.expires_at or (data.not_before * 1000 + tessera.NOT_BEFORE_LEGACY_LIFETIME_MS)
  local not_before = tessera.key(prefix, 'not-before')
  redis.call('ZADD', not_before, 'GT', keep_until, data.user_id)
  local expired = tessera.int(tessera.ms(id) - tessera.EXPIRED_ENTRY_MARGIN_MS)
  for _, user_id in ipairs(redis.call('ZRANGEBYSCORE', not_before, '-inf', expired)) do
    redis.call('HDEL', tessera.key(prefix, 'not-before-at'), user_id)
  end
  redis.call('ZREMRANGEBYSCORE', not_before, '-inf', expired)
end

tessera.project.PasswordChanged = function(prefix, id, data)
  redis.call('HSET', tessera.key(prefix, 'user', data.user_id), 'password_hash', data.password_hash)
end
tessera.project.PasswordRehashed = tessera.project.PasswordChanged

tessera.project.RolesChanged = function(prefix, id, data)
  redis.call('HSET', tessera.key(prefix, 'user', data.user_id), 'roles', encode(tessera.array(data.roles)))
end

-- Disabling also sets the not-before time: every token issued until then dies with it.
tessera.project.UserDisabled = function(prefix, id, data)
  tessera.project.UserLoggedOutEverywhere(prefix, id, data)
  redis.call('HSET', tessera.key(prefix, 'user', data.user_id), 'disabled', '1')
end

tessera.project.UserEnabled = function(prefix, id, data)
  redis.call('HSET', tessera.key(prefix, 'user', data.user_id), 'disabled', '0')
end

-- A feed credential of an API node: only the hash of its secret, read when the node presents it.
tessera.project.FeedCredentialIssued = function(prefix, id, data)
  redis.call('HSET', tessera.key(prefix, 'feed-credential', data.credential_id),
    'name', data.name, 'secret_hash', data.secret_hash, 'issued_at', tessera.int(tessera.ms(id)))
end

tessera.project.FeedCredentialRevoked = function(prefix, id, data)
  redis.call('DEL', tessera.key(prefix, 'feed-credential', data.credential_id))
end

-- Revokes one session: SessionRevoked with the latest expiry of any access token it issued.
function tessera.revoke_session(prefix, user_id, sid, reason)
  local s = redis.call('HMGET', tessera.key(prefix, 'session', sid), 'access_expires_max', 'access_expires_at')
  local access_expires_at = math.max(tonumber(s[1] or '0'), tonumber(s[2] or '0'))
  tessera.emit(prefix, 'SessionRevoked', 1,
    {user_id = user_id, sid = sid, reason = reason, access_expires_at = access_expires_at})
end

-- When a not-before set now for the user may be dropped: after the last token issued to them.
function tessera.not_before_until(prefix, user_id, not_before)
  local latest = tonumber(redis.call('HGET', tessera.key(prefix, 'user', user_id), 'access_expires_max') or '0')
  return math.max(latest, not_before * 1000)
end

-- Whether a session of the user is live at `now`.
function tessera.is_live_session(prefix, user_id, sid, now)
  local expires_at = redis.call('ZSCORE', tessera.key(prefix, 'sessions', user_id), sid)
  return expires_at ~= false and tonumber(expires_at) > now
end

-- Revokes every live session of a user (optionally all but one), one SessionRevoked each: the
-- work is bounded by the user's live sessions, never by every session they ever had.
function tessera.revoke_sessions(prefix, user_id, reason, except_sid, now)
  local sids = redis.call('ZRANGEBYSCORE', tessera.key(prefix, 'sessions', user_id), '(' .. tessera.int(now), '+inf')
  table.sort(sids)
  for _, sid in ipairs(sids) do
    if sid ~= except_sid then
      tessera.revoke_session(prefix, user_id, sid, reason)
    end
  end
end

-- Indexes one logged event under its user and updates its projections. append calls it for
-- a new event; replay.lua calls it for every logged event, with a scratch prefix and the
-- original ids, so the rebuilt state comes from exactly this code.
function tessera.apply(prefix, id, event_type, data)
  if type(data.user_id) == 'string' then
    redis.call('XADD', tessera.key(prefix, 'user-events', data.user_id), id, 'type', event_type)
  end
  local project = tessera.project[event_type]
  if project then project(prefix, id, data) end
end

-- The events this script run appended, in order, as {id, type, version, data}: what a script
-- returns, so the node that ran it applies exactly them without reading them back.
tessera.appended = {}

-- Appends one event to the log, indexes it under its user, and updates its projections.
function tessera.append(prefix, event_type, version, data_json)
  local data = cjson.decode(data_json)
  local id = redis.call('XADD', tessera.key(prefix, 'events'), '*',
    'type', event_type, 'v', tessera.int(version), 'data', data_json)
  tessera.apply(prefix, id, event_type, data)
  tessera.appended[#tessera.appended + 1] = {id, event_type, tessera.int(version), data_json}
  return id
end

-- Composes, encodes and appends an event built inside a script.
function tessera.emit(prefix, event_type, version, data)
  return tessera.append(prefix, event_type, version, encode(data))
end

-- Script results: {'ok', {appended events...}, {name, value, ...}} or {'rejected', code, detail}.
-- A rejection is returned before anything is appended, so it writes nothing.
function tessera.ok(values)
  return {'ok', tessera.appended, values or {}}
end

function tessera.reject(code, detail)
  return {'rejected', code, detail or ''}
end

-- Ends a reserved password check (login_attempt.lua), whatever its outcome.
function tessera.release_attempt(prefix, username, client, token)
  if token == nil or token == '' then return end
  redis.call('ZREM', tessera.key(prefix, 'attempts', username), token)
  if client ~= '' then redis.call('ZREM', tessera.key(prefix, 'ip-attempts', client), token) end
end
