#!/usr/bin/env bash
# Serves a local Tessera on 127.0.0.1:8080 against the Redis that `make run` started.
# In dev it keeps a generated HS256 secret and admin password in .tessera-dev/ (git-ignored),
# unless TESSERA_HS256_SECRET / TESSERA_ADMIN_PASSWORD are already set.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tessera-dev
chmod 700 .tessera-dev
if [ -z "${TESSERA_HS256_SECRET:-}" ] && [ -z "${TESSERA_HS256_SECRET_FILE:-}" ]; then
    [ -s .tessera-dev/hs256.secret ] || head -c 48 /dev/urandom | base64 | tr -d '\n=' > .tessera-dev/hs256.secret
    export TESSERA_HS256_SECRET_FILE="$PWD/.tessera-dev/hs256.secret"
fi
export TESSERA_ADMIN_USERNAME="${TESSERA_ADMIN_USERNAME:-admin}"
if [ -z "${TESSERA_ADMIN_PASSWORD:-}" ]; then
    [ -s .tessera-dev/admin.password ] || head -c 18 /dev/urandom | base64 | tr -d '\n/+=' > .tessera-dev/admin.password
    TESSERA_ADMIN_PASSWORD="$(cat .tessera-dev/admin.password)"
    export TESSERA_ADMIN_PASSWORD
fi
port="${TESSERA_PORT:-8080}"
cat <<INFO

Tessera is starting on http://127.0.0.1:${port}

Log in (OAuth 2.0 password grant, form body) as the dev admin:
  curl -s -X POST http://127.0.0.1:${port}/token \\
       -d grant_type=password -d username=${TESSERA_ADMIN_USERNAME} --data-urlencode "password=\$(cat .tessera-dev/admin.password)"
Then call a protected route with the access token:
  curl -s http://127.0.0.1:${port}/users/me -H "Authorization: Bearer <access_token>"
Health: curl -s http://127.0.0.1:${port}/healthz   Readiness: curl -s http://127.0.0.1:${port}/readyz
Stop with Ctrl-C (graceful shutdown). Redis keeps running; stop it with: redis-cli -p 6379 shutdown

INFO
exec .build/release/tessera serve "$@"
