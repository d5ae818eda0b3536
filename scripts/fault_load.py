"""The load and the ledger of scripts/fault-test.sh (stdlib only).

Workers log users in, refresh, log out, revoke and force logouts on two nodes, and keep a
ledger of every token and of every revocation a node acknowledged (2xx with a receipt). Each
user belongs to one worker, so what the ledger says about a user's tokens is never raced by
another worker. A call whose outcome is unknown (no answer, a 5xx, the connection dropped)
makes its session "uncertain": the final checks leave it out rather than guess.

Meanwhile the shell script kills redis-server and a node with SIGKILL and restarts them; a
monitor samples /readyz of both nodes to measure how long each was closed.

When the shell script says the faults are over (it creates the file given as --done), the
load stops, both nodes are waited for until they are ready and have applied the log's head,
and the ledger is checked on both nodes:
  - every acknowledged revocation still rejects: its access tokens get 401 from
    /auth/verify, its refresh token gets 400 from /token (lost otherwise);
  - no token that was never revoked is refused: live access tokens get 200 on both nodes and
    each live session's refresh token refreshes (wrongly refused otherwise).
Prints the figures as JSON to --report and as lines to stdout; exit status 1 on any loss,
wrong refusal or acceptance of a revoked token.
"""
import argparse
import http.client
import json
import os
import random
import threading
import time
import urllib.parse

parser = argparse.ArgumentParser()
parser.add_argument("--nodes", nargs=2, required=True)
parser.add_argument("--admin", required=True, help="username:password")
parser.add_argument("--users", type=int, default=24)
parser.add_argument("--workers", type=int, default=6)
parser.add_argument("--done", required=True, help="the load stops once this file exists")
parser.add_argument("--deadline", type=float, default=240, help="seconds: stop whatever happens")
parser.add_argument("--report", required=True)
parser.add_argument("--secrets", required=True, help="every password and token used, one a line")
parser.add_argument("--kills", required=True, help="the shell script appends the wall-clock time of each SIGKILL of Redis")
args = parser.parse_args()
started = time.monotonic()
deadline = started + args.deadline
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class Unavailable(Exception):
    """No answer, or 5xx: the outcome of the call is unknown."""


kept = {}  # base -> a kept-alive connection, for the checks at the end


def call(base, method, path, form=None, token=None, body=None, headers=None, timeout=5, keep=False):
    url = urllib.parse.urlparse(base)
    conn = kept.get(base) if keep else None
    conn = conn or http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    headers = dict(headers or {})
    if form is not None:
        body = urllib.parse.urlencode(form)
        headers.update(FORM)
    if token:
        headers["Authorization"] = "Bearer " + token
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        if keep:
            kept[base] = conn
        else:
            conn.close()
        return response.status, dict(response.getheaders()), data
    except (OSError, http.client.HTTPException) as error:
        conn.close()
        kept.pop(base, None)
        raise Unavailable(str(error))


def known(status):
    if status >= 500:
        raise Unavailable(str(status))
    return status


lock = threading.Lock()
counts = {}          # (kind, outcome) -> n
secrets = set()
violations = []      # revoked tokens accepted during the run
acknowledged_at = [] # wall-clock times of acknowledged revocations


def count(kind, outcome):
    with lock:
        counts[(kind, outcome)] = counts.get((kind, outcome), 0) + 1
        if outcome == "acknowledged":
            acknowledged_at.append(time.time())


def remember(*values):
    with lock:
        secrets.update(v for v in values if v)


class Session:
    def __init__(self, user, access, refresh):
        self.user, self.access, self.refresh = user, [access], refresh
        self.state = "live"       # live, revoked (acknowledged), uncertain
        self.receipt = None


class User:
    def __init__(self, name, password):
        self.name, self.password = name, password
        self.sessions = []
        self.revoked_access = []  # access tokens revoked alone through /revoke, acknowledged


def receipt_of(headers):
    return headers.get("Tessera-Revocation-Id") or headers.get("tessera-revocation-id")


def check_rejected_at_once(base, session_or_token):
    """A revocation a node acknowledged is rejected by that node at once (503 if it is closed)."""
    token = session_or_token if isinstance(session_or_token, str) else session_or_token.access[-1]
    try:
        status, _, _ = call(base, "GET", "/auth/verify", token=token)
    except Unavailable:
        return
    if status == 200:
        with lock:
            violations.append(token[-12:])


def worker(index, users, admin_token):
    rng = random.Random(index)
    while time.monotonic() < deadline and not done.is_set():
        user = rng.choice(users)
        base = rng.choice(args.nodes)
        live = [s for s in user.sessions if s.state == "live"]
        kind = rng.choices(["login", "refresh", "logout", "revoke_access", "revoke_refresh", "logout_all", "forced_logout", "verify"],
                           [4, 5, 2, 1, 1, 1, 1, 6])[0]
        if kind != "login" and kind != "forced_logout" and not live:
            kind = "login"
        try:
            if kind == "login":
                status, _, body = call(base, "POST", "/token", form={"grant_type": "password", "username": user.name, "password": user.password})
                if known(status) == 200:
                    answer = json.loads(body)
                    remember(answer["access_token"], answer["refresh_token"])
                    user.sessions.append(Session(user, answer["access_token"], answer["refresh_token"]))
                    count(kind, "ok")
                else:
                    count(kind, f"refused {status}")
            elif kind == "refresh":
                session = rng.choice(live)
                try:
                    status, _, body = call(base, "POST", "/token", form={"grant_type": "refresh_token", "refresh_token": session.refresh})
                    known(status)
                except Unavailable:
                    session.state = "uncertain"   # the rotation may have happened
                    raise
                if status == 200:
                    answer = json.loads(body)
                    remember(answer["access_token"], answer["refresh_token"])
                    session.access.append(answer["access_token"])
                    session.refresh = answer["refresh_token"]
                    count(kind, "ok")
                else:
                    # Only a lost revocation or rotation can refuse a live session's current token.
                    count(kind, f"wrongly refused {status}")
                    session.state = "uncertain"
            elif kind == "revoke_access":
                # One access token alone; the session keeps at least one live token.
                session = rng.choice(live)
                if len(session.access) < 2:
                    continue
                token = session.access.pop(0)
                status, headers, _ = call(base, "POST", "/revoke", form={"token": token})
                receipt = receipt_of(headers)
                if known(status) == 200 and receipt:
                    user.revoked_access.append((token, receipt))
                    check_rejected_at_once(base, token)
                    count(kind, "acknowledged")
                else:
                    count(kind, f"no receipt {status}")
            elif kind in ("logout", "revoke_refresh"):
                session = rng.choice(live)
                try:
                    if kind == "logout":
                        status, headers, _ = call(base, "POST", "/logout", token=session.access[-1])
                    else:
                        status, headers, _ = call(base, "POST", "/revoke", form={"token": session.refresh})
                    known(status)
                except Unavailable:
                    session.state = "uncertain"
                    raise
                receipt = receipt_of(headers)
                if status in (200, 204) and receipt:
                    session.state, session.receipt = "revoked", receipt
                    check_rejected_at_once(base, session)
                    count(kind, "acknowledged")
                else:
                    session.state = "uncertain"
                    count(kind, f"no receipt {status}")
            elif kind == "logout_all" or kind == "forced_logout":
                if kind == "logout_all":
                    caller = rng.choice(live)
                    request = lambda: call(base, "POST", "/logout/all", token=caller.access[-1])
                else:
                    request = lambda: call(base, "POST", f"/admin/users/{user.name}/logout", token=admin_token)
                affected = [s for s in user.sessions if s.state == "live"]
                try:
                    status, headers, _ = request()
                    known(status)
                except Unavailable:
                    for s in affected:
                        s.state = "uncertain"
                    raise
                receipt = receipt_of(headers)
                if status == 204 and receipt:
                    for s in affected:
                        s.state, s.receipt = "revoked", receipt
                    if affected:
                        check_rejected_at_once(base, affected[0])
                    count(kind, "acknowledged")
                else:
                    for s in affected:
                        s.state = "uncertain"
                    count(kind, f"no receipt {status}")
            else:  # verify a live token: a refusal other than 503 is wrong
                session = rng.choice(live)
                status, _, _ = call(base, "GET", "/auth/verify", token=rng.choice(session.access))
                count(kind, "ok" if known(status) == 200 else f"wrongly refused {status}")
                if status != 200:
                    session.state = "uncertain"
        except Unavailable:
            count(kind, "unavailable")
            time.sleep(0.05)


# -- readiness monitor: how long each node was closed (not 200 on /readyz, or not answering)
closed = {base: 0.0 for base in args.nodes}
closed_spells = {base: 0 for base in args.nodes}
done = threading.Event()


def monitor():
    was_open = {base: True for base in args.nodes}
    last = time.monotonic()
    while not done.is_set():
        time.sleep(0.1)
        now = time.monotonic()
        for base in args.nodes:
            try:
                is_open = call(base, "GET", "/readyz", timeout=1)[0] == 200
            except Unavailable:
                is_open = False
            if not is_open:
                closed[base] += now - last
                if was_open[base]:
                    closed_spells[base] += 1
            was_open[base] = is_open
        last = now


def login_admin(within):
    """The admin's access token, or None when no node logs the admin in within `within` seconds."""
    name, password = args.admin.split(":", 1)
    give_up = time.monotonic() + within
    while time.monotonic() < give_up:
        try:
            status, _, body = call(args.nodes[0], "POST", "/token", form={"grant_type": "password", "username": name, "password": password})
            if status == 200:
                token = json.loads(body)["access_token"]
                remember(password, token, json.loads(body)["refresh_token"])
                return token
        except Unavailable:
            pass
        time.sleep(0.2)
    return None


admin_token = login_admin(30)
if admin_token is None:
    raise SystemExit("cannot log the admin in")
users = []
for index in range(args.users):
    user = User(f"fault{index}", f"fault password {index} {random.getrandbits(64):x}")
    status, _, body = call(args.nodes[index % 2], "POST", "/users", body=json.dumps({"username": user.name, "password": user.password}),
                           headers={"Content-Type": "application/json"})
    assert status == 201, (status, body)
    remember(user.password)
    users.append(user)

threading.Thread(target=monitor, daemon=True).start()
threads = [threading.Thread(target=worker, args=(i, users[i::args.workers], admin_token)) for i in range(args.workers)]
for thread in threads:
    thread.start()
# The shell script creates the --done file once its faults are over and the nodes are back.
while not os.path.exists(args.done) and time.monotonic() < deadline:
    time.sleep(0.2)
done.set()
for thread in threads:
    thread.join()
load_seconds = time.monotonic() - started

# -- recovery: both nodes ready and caught up with the head of the log
admin_token = login_admin(20)  # None when Redis lost the admin: the checks below still run
caught_up = False
while admin_token and time.monotonic() < deadline + 60:
    try:
        status, _, body = call(args.nodes[0], "GET", "/admin/nodes", token=admin_token)
        report = json.loads(body) if status == 200 else {}
        nodes = report.get("nodes", [])
        ready = all(call(base, "GET", "/readyz")[0] == 200 for base in args.nodes)
        if ready and len(nodes) >= 2 and sum(1 for n in nodes if n["applied"] == report["head"]) >= 2:
            caught_up = True
            break
    except Unavailable:
        pass
    time.sleep(0.25)

# -- the checks, on both nodes
lost, wrongly_refused, checked_revoked, checked_live = [], [], 0, 0
acknowledged = set()
for user in users:
    for token, receipt in user.revoked_access:
        acknowledged.add(receipt)
        for base in args.nodes:
            checked_revoked += 1
            if call(base, "GET", "/auth/verify", token=token, keep=True)[0] != 401:
                lost.append(("access token revoked alone", receipt, base))
    for session in user.sessions:
        if session.state == "revoked":
            acknowledged.add(session.receipt)
            for base in args.nodes:
                for token in session.access:
                    checked_revoked += 1
                    if call(base, "GET", "/auth/verify", token=token, keep=True)[0] != 401:
                        lost.append(("access token of a revoked session", session.receipt, base))
                checked_revoked += 1
                if call(base, "POST", "/token", form={"grant_type": "refresh_token", "refresh_token": session.refresh}, keep=True)[0] != 400:
                    lost.append(("refresh token of a revoked session", session.receipt, base))
        elif session.state == "live":
            for base in args.nodes:
                for token in session.access:
                    checked_live += 1
                    status = call(base, "GET", "/auth/verify", token=token, keep=True)[0]
                    if status != 200:
                        wrongly_refused.append(("live access token", status, base))
            checked_live += 1
            status, _, body = call(args.nodes[0], "POST", "/token", form={"grant_type": "refresh_token", "refresh_token": session.refresh})
            if status != 200:
                wrongly_refused.append(("live refresh token", status, args.nodes[0]))
            else:
                answer = json.loads(body)
                remember(answer["access_token"], answer["refresh_token"])

sessions = [s for u in users for s in u.sessions]
kills = [float(line) for line in open(args.kills)] if os.path.exists(args.kills) else []
figures = {
    "seconds_of_load": round(load_seconds, 1),
    "operations": {f"{kind} {outcome}": n for (kind, outcome), n in sorted(counts.items())},
    "operations_total": sum(counts.values()),
    "sessions": len(sessions),
    "sessions_live": sum(s.state == "live" for s in sessions),
    "sessions_revoked": sum(s.state == "revoked" for s in sessions),
    "sessions_uncertain": sum(s.state == "uncertain" for s in sessions),
    "revocations_acknowledged": len(acknowledged_at),
    "receipts_checked": len(acknowledged),
    "redis_kills": len(kills),
    "acknowledged_within_1s_before_a_redis_kill": sum(1 for t in acknowledged_at for k in kills if k - 1 <= t <= k),
    "revoked_token_checks": checked_revoked,
    "live_token_checks": checked_live,
    "lost": len(lost),
    "wrongly_refused": len(wrongly_refused),
    "revoked_accepted_during_run": len(violations),
    "nodes_caught_up": caught_up,
    "closed_seconds": {base: round(s, 1) for base, s in closed.items()},
    "closed_spells": closed_spells,
    "examples": {"lost": lost[:5], "wrongly_refused": wrongly_refused[:5]},
}
with open(args.report, "w") as file:
    json.dump(figures, file, indent=2)
with open(args.secrets, "w") as file:
    file.write("\n".join(sorted(secrets)) + "\n")
for name in ("seconds_of_load", "operations_total", "sessions", "sessions_live", "sessions_revoked", "sessions_uncertain",
             "revocations_acknowledged", "receipts_checked", "redis_kills", "acknowledged_within_1s_before_a_redis_kill",
             "revoked_token_checks", "live_token_checks", "lost", "wrongly_refused",
             "revoked_accepted_during_run", "nodes_caught_up", "closed_seconds", "closed_spells"):
    print(f"{name}: {figures[name]}")
for name, n in figures["operations"].items():
    print(f"  {name}: {n}")
if lost or wrongly_refused or violations or not caught_up:
    print("examples:", figures["examples"])
    raise SystemExit(1)
