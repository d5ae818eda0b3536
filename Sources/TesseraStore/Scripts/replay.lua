-- replay.lua: applies a batch of logged events to the projections under a scratch prefix, with
-- their original ids, through tessera.apply: the very code that projected them when they were
-- appended. The log itself is only read; nothing under the source prefix is written.
-- ARGV: source prefix (whose log is read), scratch prefix (where projections are rebuilt),
--       the id after which to start (exclusive; '0-0' for the start of the log), batch size
-- Values: count (events applied), last (the last applied id; absent when none).
-- Rejections: invalid_request (the scratch prefix is the live one).
local source, scratch, after, count = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
if scratch == source then return tessera.reject('invalid_request', 'the scratch prefix is the live one') end
local entries = redis.call('XRANGE', tessera.key(source, 'events'), '(' .. after, '+', 'COUNT', count)
local last = nil
for _, entry in ipairs(entries) do
  local id, fields = entry[1], entry[2]
  local event_type, data
  for i = 1, #fields, 2 do
    if fields[i] == 'type' then event_type = fields[i + 1] elseif fields[i] == 'data' then data = fields[i + 1] end
  end
  if not event_type or not data then error('log entry ' .. id .. ' lacks type or data') end
  tessera.apply(scratch, id, event_type, cjson.decode(data))
  last = id
end
local values = {'count', tessera.int(#entries)}
if last then values[3], values[4] = 'last', last end
return tessera.ok(values)
