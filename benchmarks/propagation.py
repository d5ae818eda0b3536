"""Cross-node revocation propagation: two nodes on one Redis.

For each of N sessions: log in on node A, check that node B accepts the access token, log out
on A, then poll B's /auth/verify (or PATH: an API node's protected route) on a kept-alive
connection until it answers 401. The delay is from A's 204 to the first 401 from B; each poll is
one loopback round trip, which bounds the resolution.
Usage: propagation.py BASE_A BASE_B USERNAME PASSWORD [N] [PATH]
"""
import http.client
import json
import statistics
import sys
import time
import urllib.parse

base_a, base_b, username, password = sys.argv[1:5]
count = int(sys.argv[5]) if len(sys.argv) > 5 else 1000
path_b = sys.argv[6] if len(sys.argv) > 6 else "/auth/verify"
deadline = time.monotonic() + 300


def connect(base):
    url = urllib.parse.urlparse(base)
    return http.client.HTTPConnection(url.hostname, url.port, timeout=5)


def call(conn, method, path, body=None, headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    return response.status, response.read()


a, b = connect(base_a), connect(base_b)
form = urllib.parse.urlencode({"grant_type": "password", "username": username, "password": password})
form_headers = {"Content-Type": "application/x-www-form-urlencoded"}
delays, polls = [], []
for _ in range(count):
    if time.monotonic() > deadline:
        break
    status, body = call(a, "POST", "/token", form, form_headers)
    assert status == 200, (status, body)
    bearer = {"Authorization": "Bearer " + json.loads(body)["access_token"]}
    status, _ = call(b, "GET", path_b, headers=bearer)
    assert status == 200, status
    status, _ = call(a, "POST", "/logout", headers=bearer)
    assert status == 204, status
    revoked_at = time.perf_counter()
    tries = 0
    while True:
        status, _ = call(b, "GET", path_b, headers=bearer)
        tries += 1
        if status == 401:
            delays.append((time.perf_counter() - revoked_at) * 1000)
            polls.append(tries)
            break
        assert status == 200, status
        assert tries < 100_000, "node B never rejected the token"

delays.sort()
p = lambda q: delays[min(len(delays) - 1, int(q * len(delays)))]
print(f"propagation over {len(delays)} revocations: p50 {p(0.5):.2f} ms, p99 {p(0.99):.2f} ms, "
      f"max {delays[-1]:.2f} ms (median {statistics.median(polls):.0f} polls of B; "
      f"first poll already 401 in {sum(1 for t in polls if t == 1)} cases)")
print(f"PROPAGATION p50={p(0.5):.2f} p99={p(0.99):.2f} max={delays[-1]:.2f}")
