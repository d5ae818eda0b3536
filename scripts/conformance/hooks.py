"""Schemathesis hooks for scripts/conformance.sh: bearer tokens for the protected routes.

The admin's token serves every route but the two logouts, and is fetched again after a 401.
Each logout gets a fresh session of a user of its own, so logging out never ends the session
the other routes use. The node, the admin and the user come from the environment that
scripts/conformance.sh sets.
"""

import os

import requests
import schemathesis

BASE = os.environ["CONFORMANCE_BASE_URL"]
LOGOUT_PATHS = ["/logout", "/logout/all"]


def login(username: str, password: str) -> str:
    response = requests.post(f"{BASE}/token", data={"username": username, "password": password}, timeout=10)
    response.raise_for_status()
    return response.json()["access_token"]


def set_bearer(case, token: str) -> None:
    case.headers = case.headers or {}
    case.headers["Authorization"] = f"Bearer {token}"


@schemathesis.auth().skip_for(path=LOGOUT_PATHS)
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
