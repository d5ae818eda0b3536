"""A revocation view for an API node in Python, fed by a Tessera node's revocation feed.

Standard library only. Verify the token's signature and claims with your JWT library first,
then ask `is_revoked(claims)`; answer 503 whenever `is_fresh()` is false. See docs/api-nodes.md.
"""
import json
import threading
import time
import urllib.request

SESSION_REVOKED = "https://schemas.openid.net/secevent/caep/event-type/session-revoked"


class RevocationView:
    def __init__(self, base, credential, max_lag=2.0):
        self.base, self.auth, self.max_lag = base, {"Authorization": "Bearer " + credential}, max_lag
        self.sessions, self.tokens, self.not_before, self.caught_up = {}, {}, {}, None
        threading.Thread(target=self._run, daemon=True).start()

    def is_fresh(self):
        return self.caught_up is not None and time.monotonic() - self.caught_up <= self.max_lag

    def is_revoked(self, claims):
        now = time.time() * 1000
        return (self.sessions.get(claims["sid"], 0) > now or self.tokens.get(claims["jti"], 0) > now
                or self.not_before.get(claims["sub"], (0, 0))[0] > claims["iat"])

    def _apply(self, security_event):
        event = security_event["events"].get(SESSION_REVOKED)
        if not event:
            return
        subject, until = event["subject"], event["tessera_drop_after"]
        if subject["format"] == "opaque":
            self.sessions[subject["id"]] = until
        elif subject["format"] == "jwt_id":
            self.tokens[subject["jti"]] = until
        elif subject["format"] == "iss_sub":
            self.not_before[subject["sub"]] = (event["event_timestamp"], until)

    def _run(self):
        position = None
        while True:
            try:
                if position is None:
                    request = urllib.request.Request(self.base + "/revocations/snapshot", headers=self.auth)
                    with urllib.request.urlopen(request, timeout=10) as answer:
                        snapshot = json.load(answer)
                    self.sessions, self.tokens, self.not_before = {}, {}, {}
                    for security_event in snapshot["sets"].values():
                        self._apply(security_event)
                    position, self.caught_up = snapshot["position"], time.monotonic()
                headers = dict(self.auth, **{"Last-Event-ID": position, "Accept": "text/event-stream"})
                request = urllib.request.Request(self.base + "/revocations/events", headers=headers)
                with urllib.request.urlopen(request, timeout=self.max_lag) as stream:
                    event = {}
                    for line in stream:
                        line = line.decode().rstrip("\r\n")
                        if line:
                            field, _, value = line.partition(":")
                            event[field] = value[1:] if value.startswith(" ") else value
                            continue
                        if event.get("event") == "set":
                            self._apply(json.loads(event["data"]))
                        elif event.get("event") == "heartbeat":
                            self.caught_up = time.monotonic() - json.loads(event["data"])["lag_ms"] / 1000
                        elif event.get("event") == "reset":
                            position = None
                            break
                        position = event.get("id", position)
                        event = {}
            except Exception:
                time.sleep(1)
