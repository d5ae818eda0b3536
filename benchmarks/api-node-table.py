"""The wrk outputs of api-node-load.sh as one table, each row's rate as a ratio of the
unauthenticated route's (the floor) and the library's route's. Usage: api-node-table.py RESULTS"""
import re
import sys


def ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


rows = []
for block in open(sys.argv[1]).read().split("== ")[1:]:
    header, text = block.split("\n", 1)
    name, kind, connections = header.split("\t")
    total = int(re.search(r"(\d+) requests in", text).group(1))
    seconds = re.search(r"requests in ([\d.]+)(ms|s|m)", text)
    seconds = float(seconds.group(1)) * {"ms": 0.001, "s": 1.0, "m": 60.0}[seconds.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    ok = (total - (int(non2xx.group(1)) if non2xx else 0)) / seconds
    rows.append((name, kind, ok, ms(*re.search(r"50%\s+([\d.]+)(us|ms|s)", text).groups()),
                 ms(*re.search(r"99%\s+([\d.]+)(us|ms|s)", text).groups()), non2xx.group(1) if non2xx else "0"))
floor = next(row for row in rows if row[1] == "floor")[2]
library = next(row for row in rows if "TesseraVerifier" in row[0])[2]
print("| route | 2xx/s | non-2xx | p50 ms | p99 ms | ÷ no authentication | library ÷ this |")
print("|---|---:|---:|---:|---:|---:|---:|")
for name, kind, ok, p50, p99, non2xx in rows:
    print(f"| {name} | {ok:,.0f} | {non2xx} | {p50:.2f} | {p99:.2f} | {ok / floor:.2f} | {library / ok:.2f}× |")
print()
print(f"middleware ÷ no authentication: {library / floor:.2f} (goal ≥ 0.90)")
