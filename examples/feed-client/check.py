"""Checks revocation_view.py against a live Tessera node (scripts/nginx-test.sh runs it).

Usage: check.py TESSERA_BASE CREDENTIAL ACCESS_TOKEN
Logs the token's session out on the node and expects the view to see it within 2 s.
"""
import base64
import json
import sys
import time
import urllib.request

from revocation_view import RevocationView

base, credential, token = sys.argv[1:4]
payload = token.split(".")[1]
claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
view = RevocationView(base, credential)
deadline = time.monotonic() + 5
while not view.is_fresh():
    assert time.monotonic() < deadline, "the view never became fresh"
    time.sleep(0.01)
assert not view.is_revoked(claims), "a live token is revoked"
logout = urllib.request.Request(base + "/logout", method="POST", headers={"Authorization": "Bearer " + token})
assert urllib.request.urlopen(logout, timeout=5).status == 204
revoked_at = time.monotonic()
while not view.is_revoked(claims):
    assert time.monotonic() - revoked_at < 2, "the logout never reached the view"
    time.sleep(0.001)
print(f"python feed client: fresh, saw the logout after {(time.monotonic() - revoked_at) * 1000:.1f} ms")
