-- feed_credential.lua: issues or revokes the credential an API node presents to read the
-- revocation feed. Issuing an id that exists, or revoking one that does not, appends nothing.
-- ARGV: prefix, 'issue' or 'revoke', FeedCredentialIssued or FeedCredentialRevoked data
-- Returns: ok with the appended event, or rejected 'exists' / 'unknown_credential'.
local prefix, action, data_json = ARGV[1], ARGV[2], ARGV[3]
local data = cjson.decode(data_json)
local exists = redis.call('EXISTS', tessera.key(prefix, 'feed-credential', data.credential_id)) == 1
if action == 'issue' then
  if exists then return tessera.reject('exists') end
  tessera.append(prefix, 'FeedCredentialIssued', 1, data_json)
elseif action == 'revoke' then
  if not exists then return tessera.reject('unknown_credential') end
  tessera.append(prefix, 'FeedCredentialRevoked', 1, data_json)
else
  return tessera.reject('bad_action', action)
end
return tessera.ok()
