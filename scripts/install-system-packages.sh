#!/usr/bin/env bash
# Installs the system packages Tessera needs, only those missing, via apt-get (sudo when not root).
set -euo pipefail
# redis-server also runs the sentinels of the failover tests (`redis-server CONF --sentinel`, so Debian's
# redis-sentinel package is not needed) and brings redis-cli (redis-tools), which the scripts use.
# python3-venv: scripts/conformance.sh installs Schemathesis into a virtualenv, which Debian's
# python3 cannot make without it.
packages=(libhiredis-dev redis-server libssl-dev libcrypt-dev python3-venv)
[ "${WITH_WRK:-0}" = 1 ] && packages+=(wrk)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# Tools the end-to-end smoke and conformance tests use, wherever they come from.
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
echo "Installing system packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
