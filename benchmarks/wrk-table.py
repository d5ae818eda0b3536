"""Turns the wrk outputs of http-load.sh into one table with ratios to /healthz, then the login ceiling.

Usage: wrk-table.py RESULTS HASH_JSON CORES HASH_THREADS HASH_QUEUE
RESULTS holds blocks headed `== NAME<TAB>KIND<TAB>CONNECTIONS`; KIND is floor (/healthz, the
reference), readyz (/healthz plus one Redis PING), plain, refresh, login-one, login-threads, login-saturated or login-overload. Rows whose Lua script
printed `status counts:` count only 200s as useful (refresh.lua counts a 200 only when it
carried a new refresh token); the others count wrk's 2xx.
"""
import json
import os
import re
import sys

results, hash_json = sys.argv[1], sys.argv[2]
cores, hash_threads, hash_queue = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])


def ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse(block):
    header, text = block.split("\n", 1)
    name, kind, connections = header.split("\t")
    total = int(re.search(r"(\d+) requests in", text).group(1))
    seconds = re.search(r"requests in ([\d.]+)(ms|s|m)", text)
    seconds = float(seconds.group(1)) * {"ms": 0.001, "s": 1.0, "m": 60.0}[seconds.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    non2xx = int(non2xx.group(1)) if non2xx else 0
    statuses = re.search(r"status counts: (\S*)", text)
    if statuses:
        counts = {status: int(count) for status, count in re.findall(r"([\w-]+):(\d+)", statuses.group(1))}
        ok = counts.pop("200", 0)
        other = counts
    else:
        ok = total - non2xx
        other = {"non-2xx": non2xx} if non2xx else {}
    starved = re.search(r"refresh tokens: starved=(\d+)", text)
    errors = re.search(r"Socket errors: (.*)", text)
    ticks = re.search(r"node cpu ticks: (\d+)", text)
    return {
        "name": name,
        "kind": kind,
        "connections": int(connections),
        "rps": total / seconds,
        "ok": ok / seconds,
        "other": other,
        "other_rps": sum(other.values()) / seconds,
        "p50": ms(*re.search(r"50%\s+([\d.]+)(us|ms|s)", text).groups()),
        "p99": ms(*re.search(r"99%\s+([\d.]+)(us|ms|s)", text).groups()),
        "max": ms(*re.search(r"Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s)", text).groups()),
        "starved": int(starved.group(1)) if starved else 0,
        "errors": errors.group(1) if errors else "",
        # µs of node CPU per request; ticks are 1/CLK_TCK s.
        "cpu_us": int(ticks.group(1)) * 1e6 / os.sysconf("SC_CLK_TCK") / total if ticks and total else None,
    }


rows = [parse(block) for block in open(results).read().split("== ")[1:]]
floor = next(row for row in rows if row["kind"] == "floor")["ok"]
print("| route | conns | req/s | ok/s | other answers | p50 ms | p99 ms | ok/s ÷ /healthz | node CPU µs/req |")
print("|---|---:|---:|---:|---|---:|---:|---:|---:|")
for row in rows:
    other = ", ".join(f"{status}: {count}" for status, count in sorted(row["other"].items())) or "none"
    notes = []
    if row["errors"]:
        notes.append(f"socket errors: {row['errors']}")
    if row["starved"]:
        notes.append(f"INVALID: ran out of refresh tokens {row['starved']} times")
    note = f" ({'; '.join(notes)})" if notes else ""
    print(f"| {row['name']} | {row['connections']} | {row['rps']:,.0f} | {row['ok']:,.0f} | {other} | "
          f"{row['p50']:.2f} | {row['p99']:.2f} | {row['ok'] / floor:.1%}{note} | "
          f"{'' if row['cpu_us'] is None else format(row['cpu_us'], '.0f')} |")

print()
print("ok/s: answers that count, per second: 2xx; for refresh, 200s that carried a new refresh token; for login, 200s.")
healthz = next(row for row in rows if row["kind"] == "floor")
readyz = next((row for row in rows if row["kind"] == "readyz"), None)
if readyz and readyz["cpu_us"] is not None and healthz["cpu_us"] is not None:
    print(f"Node CPU per Redis call (/readyz, one PING, minus /healthz): {readyz['cpu_us'] - healthz['cpu_us']:.0f} µs.")

hashing = json.load(open(hash_json))
hash_ms = hashing["median_ms"]
ceiling = cores / (hash_ms / 1000)
one = next(row for row in rows if row["kind"] == "login-one")
at_threads = next(row for row in rows if row["kind"] == "login-threads")
saturated = next(row for row in rows if row["kind"] == "login-saturated")
overload = next(row for row in rows if row["kind"] == "login-overload")
limit = hash_threads + hash_queue
print()
print(f"hash time: {hash_ms:.1f} ms, the median of {hashing['count']} yescrypt verifications by libxcrypt's crypt_rn "
      f"one at a time, without HTTP or Redis (min {hashing['min_ms']:.1f} ms); with {hashing['processes']} processes "
      f"hashing at once, {hashing['parallel_median_ms']:.1f} ms each, {hashing['parallel_per_second']:.0f} hashes/s.")
print(f"login at 1 connection: p50 {one['p50']:.1f} ms per login, {one['p50'] - hash_ms:.1f} ms more than the hash.")
print(f"login ceiling: {cores} cores ÷ {hash_ms:.1f} ms = {ceiling:.0f} logins/s. At {at_threads['connections']} "
      f"connections (= the hasher's {hash_threads} threads): {at_threads['ok']:.0f} logins/s = "
      f"{at_threads['ok'] / ceiling:.0%} of the ceiling, p99 {at_threads['p99']:.1f} ms. At {saturated['connections']} "
      f"(a login waiting for each thread): {saturated['ok']:.0f} logins/s = {saturated['ok'] / ceiling:.0%} of the "
      f"ceiling ({saturated['ok'] / hashing['parallel_per_second']:.0%} of the {hashing['parallel_per_second']:.0f} "
      f"hashes/s the cores do in parallel without HTTP), p99 {saturated['p99']:.1f} ms.")
if overload["ok"] > 0:
    bound = limit / overload["ok"] * 1000
    print(f"overload at {overload['connections']} connections (at most {hash_threads} threads + {hash_queue} queued = "
          f"{limit} logins in flight): {overload['ok']:.0f} logins/s = {overload['ok'] / ceiling:.0%} of the ceiling "
          f"({overload['ok'] / saturated['ok']:.0%} of the rate at {saturated['connections']} connections), "
          f"{overload['other_rps']:,.0f}/s other answers ({', '.join(f'{s}: {c}' for s, c in sorted(overload['other'].items())) or 'none'}); "
          f"p50 {overload['p50']:.1f} ms, p99 {overload['p99']:.1f} ms, max {overload['max']:.1f} ms; "
          f"a full queue drains in {limit} ÷ {overload['ok']:.0f}/s = {bound:.0f} ms.")
else:
    print(f"overload at {overload['connections']} connections: no login succeeded")
