-- lib.lua: prepended to every Tessera script (the Swift side concatenates lib.lua + the script).
--
-- It holds what every script shares: key naming, the append that writes an event AND its
-- projections in the same script (so both happen or neither), the projection of every event
-- type, and a JSON encoder with sorted keys for the few events a script composes itself.
--
-- Keys are built from the prefix in ARGV[1] rather than passed in KEYS: which keys an event
-- touches depends on data read inside the script (the session a refresh token belongs to).
-- That is fine on one primary with replicas, the deployment DESIGN.md chooses; it would not be
-- on Redis Cluster.

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
    'created_at', tostring(tessera.ms(id)))
  if data.email ~= nil and data.email ~= cjson.null then
    redis.call('HSET', user, 'email', data.email)
  end
  redis.call('SET', tessera.key(prefix, 'username', string.lower(data.username)), data.user_id)
end

tessera.project.UserRegistered = function(prefix, id, data) project_user(prefix, id, data, false) end
tessera.project.UserImported = function(prefix, id, data) project_user(prefix, id, data, true) end

-- Appends one event to the log, indexes it under its user, and updates its projections.
function tessera.append(prefix, event_type, version, data_json)
  local data = cjson.decode(data_json)
  local id = redis.call('XADD', tessera.key(prefix, 'events'), '*',
    'type', event_type, 'v', tostring(version), 'data', data_json)
  if type(data.user_id) == 'string' then
    redis.call('XADD', tessera.key(prefix, 'user-events', data.user_id), id, 'type', event_type)
  end
  local project = tessera.project[event_type]
  if project then project(prefix, id, data) end
  return id
end

-- Composes, encodes and appends an event built inside a script.
function tessera.emit(prefix, event_type, version, data)
  return tessera.append(prefix, event_type, version, encode(data))
end

-- Script results: {'ok', {ids...}, {name, value, ...}} or {'rejected', code, detail}.
function tessera.ok(ids, values)
  return {'ok', ids, values or {}}
end

function tessera.reject(code, detail)
  return {'rejected', code, detail or ''}
end
