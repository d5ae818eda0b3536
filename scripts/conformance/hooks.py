"""Schemathesis hooks for scripts/conformance.sh: bearer tokens for the protected routes.

The admin's token serves every route but the two logouts and the revocation feed, and is
fetched again after a 401. Each logout gets a fresh session of a user of its own, so logging
out never ends the session the other routes use. The feed's two routes get the feed credential
the script issued. The node, the admin, the user and the credential come from the environment
that scripts/conformance.sh sets.

The feed's event stream stays open for as long as the node runs. So that every authorised call
of it ends, a position the stream would accept is replaced by `0-0`, older than anything the
node keeps: the node answers 200 with a `reset` event and closes the stream. Positions that are
not event ids reach the node as generated and get 400.
"""

import os
import re

import requests
import schemathesis

BASE = os.environ["CONFORMANCE_BASE_URL"]
LOGOUT_PATHS = ["/logout", "/logout/all"]
FEED_PATHS = ["/revocations/snapshot", "/revocations/events"]
# What the node parses as an event id (EventID): MS-SEQ, each 1-20 ASCII digits. HTTP parsers
# drop spaces and tabs around a header value, so those are stripped before matching.
EVENT_ID = re.compile(r"^[0-9]{1,20}-[0-9]{1,20}$")


def login(username: str, password: str) -> str:
    response = requests.post(f"{BASE}/token", data={"username": username, "password": password}, timeout=10)
    response.raise_for_status()
    return response.json()["access_token"]


def set_bearer(case, token: str) -> None:
    case.headers = case.headers or {}
    case.headers["Authorization"] = f"Bearer {token}"


@schemathesis.auth().skip_for(path=LOGOUT_PATHS + FEED_PATHS)
class AdminToken:
    def get(self, case, context):
        return login(os.environ["TESSERA_ADMIN_USERNAME"], os.environ["TESSERA_ADMIN_PASSWORD"])

    def set(self, case, data, context):
        set_bearer(case, data)


@schemathesis.auth(refresh_interval=None).apply_to(path=LOGOUT_PATHS)
class FreshSessionToken:
    def get(self, case, context):
        return login(os.environ["CONFORMANCE_USERNAME"], os.environ["CONFORMANCE_PASSWORD"])

    def set(self, case, data, context):
        set_bearer(case, data)


@schemathesis.auth(refresh_interval=None).apply_to(path=FEED_PATHS)
class FeedCredential:
    def get(self, case, context):
        return os.environ["CONFORMANCE_FEED_CREDENTIAL"]

    def set(self, case, data, context):
        set_bearer(case, data)


def expired_if_valid(value):
    if isinstance(value, str) and EVENT_ID.match(value.strip(" \t")):
        return "0-0"
    return value


# Calls that would lock the run's own admin out: once the fuzzer has seen the admin's name in an
# answer (its profile, an event), it may disable it or take its roles, and every later token fetch
# fails. Those calls go to alice instead; every other name still reaches them as generated.
ADMIN_LOCKOUT_PATHS = ["/admin/users/{username}/disable", "/admin/users/{username}/roles"]


@schemathesis.hook
def before_call(context, case, **kwargs):
    if case.operation.path in ADMIN_LOCKOUT_PATHS:
        username = (case.path_parameters or {}).get("username")
        if isinstance(username, str) and username.lower() == os.environ["TESSERA_ADMIN_USERNAME"]:
            case.path_parameters["username"] = "alice"
        return
    if case.operation.path != "/revocations/events":
        return
    for name in list(case.headers or {}):
        if name.lower() == "last-event-id":
            case.headers[name] = expired_if_valid(case.headers[name])
    if case.query and "after" in case.query:
        case.query["after"] = expired_if_valid(case.query["after"])
