"""Turns the wrk outputs of http-load.sh into one table with ratios to /healthz."""
import re
import statistics
import sys

results, login_times, cores, duration = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])


def ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


rows = []
for block in open(results).read().split("== ")[1:]:
    name, text = block.split("\n", 1)
    total = int(re.search(r"(\d+) requests in ([\d.]+)(\w+)", text).group(1))
    seconds = re.search(r"requests in ([\d.]+)(ms|s|m)", text)
    seconds = float(seconds.group(1)) * {"ms": 0.001, "s": 1.0, "m": 60.0}[seconds.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    non2xx = int(non2xx.group(1)) if non2xx else 0
    errors = re.search(r"Socket errors: (.*)", text)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", text)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", text)
    rows.append((name, total / seconds, (total - non2xx) / seconds, non2xx, ms(*p50.groups()), ms(*p99.groups()),
                 errors.group(1) if errors else ""))

floor = rows[0][1]
print(f"| route | req/s | 2xx/s | non-2xx | p50 ms | p99 ms | 2xx/s ÷ /healthz |")
print("|---|---:|---:|---:|---:|---:|---:|")
for name, rps, ok, non2xx, p50, p99, errors in rows:
    note = f" (socket errors: {errors})" if errors else ""
    print(f"| {name} | {rps:,.0f} | {ok:,.0f} | {non2xx} | {p50:.2f} | {p99:.2f} | {ok / floor:.1%}{note} |")

times = sorted(float(line) for line in open(login_times) if line.strip())
hash_ms = statistics.median(times) * 1000
ceiling = cores / (hash_ms / 1000)
login = next(row for row in rows if row[0] == "POST /token password")
print()
print(f"login ceiling: {cores} cores ÷ {hash_ms:.1f} ms per login (median of {len(times)} sequential logins: "
      f"one yescrypt hash + one loopback round trip) = {ceiling:.0f} logins/s; "
      f"measured {login[2]:.0f} successful logins/s = {login[2] / ceiling:.0%} of the ceiling "
      f"({login[3]} answers were not 2xx, p99 {login[5]:.1f} ms)")
