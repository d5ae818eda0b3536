"""Summarises ordo-one/benchmark's markdown output: p50 time and mallocs per operation, with
the ratios the targets are stated in."""
import re
import sys

UNITS = {"ns": 1.0, "us": 1e3, "μs": 1e3, "ms": 1e6, "s": 1e9}


def number(text):
    text = text.strip().replace(",", "")
    scale = 1.0
    if text and text[-1] in "KM":
        scale, text = (1e3 if text[-1] == "K" else 1e6), text[:-1]
    return float(text) * scale


results = {}
name, columns = None, None
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("### "):
        name = re.sub(r"\s+metrics$", "", line[4:].strip())
        columns = None
    elif line.startswith("|") and name:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if cells[0].lower() == "metric" or cells[0].startswith("Metric"):
            columns = cells
        elif columns and not set(cells[0]) <= set(":- "):
            p50 = number(cells[columns.index("p50")])
            if cells[0].startswith("Time (wall clock)"):
                unit = re.search(r"\((ns|us|μs|ms|s)\)", cells[0]).group(1)
                results.setdefault(name, {})["ns"] = p50 * UNITS[unit]
            elif cells[0].startswith("Malloc (total)"):
                results.setdefault(name, {})["mallocs"] = p50

if not results:
    sys.exit("token-table.py: no benchmark results found in " + sys.argv[1])


def find(prefix):
    return next((value for key, value in results.items() if key.startswith(prefix)), None)


print("| benchmark | p50 time/op | mallocs/op |")
print("|---|---:|---:|")
for key, value in results.items():
    time = value.get("ns")
    shown = f"{time / 1000:.2f} µs" if time and time >= 10_000 else f"{time:.0f} ns" if time else "?"
    print(f"| {key} | {shown} | {value.get('mallocs', '?'):.0f} |")

hot, verify_only = find("HS256 verify, hot path"), find("HS256 verify, TokenVerifier")
node_check = find("HS256 check, NodeState.authenticate")
floor, oneshot, jwtkit = find("HMAC-SHA256 raw, pre-keyed"), find("HMAC-SHA256 raw, swift-crypto"), find("HS256 verify, jwt-kit")
eddsa, ed25519 = find("EdDSA verify"), find("Ed25519 verify")
print()
if hot and floor:
    print(f"HS256 hot path ÷ pre-keyed raw HMAC: {hot['ns'] / floor['ns']:.2f}× (target ≤ 2.0×, stretch 1.5×); "
          f"TokenVerifier alone {verify_only['ns'] / floor['ns']:.2f}×; one-shot HMAC<SHA256> {oneshot['ns'] / floor['ns']:.2f}×")
if node_check and floor:
    print(f"HS256 check as an API node's TesseraVerifier runs it (NodeState.authenticate) ÷ pre-keyed raw HMAC: "
          f"{node_check['ns'] / floor['ns']:.2f}× (target ≤ 2.0×)")
if hot and jwtkit:
    print(f"jwt-kit ÷ HS256 hot path: {jwtkit['ns'] / hot['ns']:.1f}× faster (target ≥ 10×)")
if hot:
    print(f"heap allocations per hot-path verify: {hot.get('mallocs', float('nan')):.0f} (target ≤ 2)")
if eddsa and ed25519:
    print(f"EdDSA verify ÷ raw Ed25519 verify: {eddsa['ns'] / ed25519['ns']:.3f}× (target ≤ 1.1×)")
