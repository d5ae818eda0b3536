#!/usr/bin/env python3
"""Writes the seed corpora in fuzz/corpus/ (run again after changing it; the files are committed).

Seeds are small and meaningful: valid tokens and claim sets as Tessera writes them, the edge
cases the parsers must get right (escapes, surrogate pairs, nesting, aud as an array, nbf,
unknown members), and the bodies, queries and headers clients send. Each file's first byte is
the mode the target reads it in (see each target's header comment); crashing inputs that
fuzzing found are added by hand under the same directories, named finding-*.
"""
import base64, hashlib, hmac, json, os
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization

HERE = os.path.dirname(os.path.abspath(__file__))
ISS, AUD, NOW = "https://auth.example.test", "tessera-api", 1_900_000_100
SECRET = b"0123456789abcdef0123456789abcdef"
ED = Ed25519PrivateKey.from_private_bytes(bytes([7] * 32))
ED_PUB = ED.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


HS_KID = b64(hashlib.sha256(SECRET).digest()[:8])
ED_KID = b64(hashlib.sha256(ED_PUB).digest()[:8])
HS_HEADER = '{"alg":"HS256","kid":"%s","typ":"at+jwt"}' % HS_KID
ED_HEADER = '{"alg":"EdDSA","kid":"%s","typ":"at+jwt"}' % ED_KID
ID22 = "AAECAwQFBgcICQoLDA0ODw"  # a canonical 16-byte id, as the signer writes jti, sid and sub


def claims(aud=True, nbf=False, extra=""):
    text = '{"iss":"%s","sub":"%s","username":"alice"' % (ISS, ID22)
    if aud:
        text += ',"aud":"%s"' % AUD
    text += ',"exp":%d,"iat":%d' % (NOW + 900, NOW)
    if nbf:
        text += ',"nbf":%d' % (NOW - 10)
    return text + ',"jti":"%s","sid":"%s","roles":["admin","user"],"scope":"admin user"%s}' % (ID22, ID22, extra)


def sign(header: str, payload: str, ed=False) -> str:
    signing_input = (b64(header.encode()) + "." + b64(payload.encode())).encode()
    signature = ED.sign(signing_input) if ed else hmac.new(SECRET, signing_input, hashlib.sha256).digest()
    return signing_input.decode() + "." + b64(signature)


PAYLOADS = {
    "signer-layout": claims(),
    "signer-layout-nbf-no-aud": claims(aud=False, nbf=True),
    "aud-array": claims(aud=False).replace('"exp"', '"aud":["other","%s"],"exp"' % AUD),
    "reordered-whitespace": ' {\n "scope" : "admin user", "roles":[ "admin" ], "sid":"sid-1", "jti":"jti-1",'
    ' "iat":%d, "exp":%d, "aud":"%s", "username":"alice", "sub":"user-1", "iss":"%s" }' % (NOW, NOW + 900, AUD, ISS),
    "escapes-unknown-claims": claims(extra=r',"x":[{"y":[true,false,null,-1.5e+3,"\u00e9\ud83d\udd11\n\"\\\/"]}],"z":{},"\u00fcber":"\u00e9t\u00e9"'),
    "unicode-raw": claims().replace('"alice"', '"\u00e9l\u00e8ve \U0001F511"'),
    "escaped-member-names": claims().replace('"username"', r'"\u0075sername"'),
    "roles-odd": claims().replace('["admin","user"]', r'["a,b","","\u00e9",""]'),
    "duplicate-member": claims(extra=',"sub":"again"'),
    "expired": claims().replace('"exp":%d' % (NOW + 900), '"exp":%d' % NOW),
    "big-integers": claims(extra=',"n":-9223372036854775808,"m":9223372036854775807,"f":1e400'),
    "deep": claims(extra=',"d":' + "[" * 16 + "]" * 16),
}


def write(target, name, data: bytes):
    directory = os.path.join(HERE, "corpus", target)
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, name), "wb") as f:
        f.write(data)


def main():
    # Token verifier: mode byte, then the token or the JSON to sign.
    write("FuzzTokenVerifier", "raw-hs256", b"\x00" + sign(HS_HEADER, claims()).encode())
    write("FuzzTokenVerifier", "raw-eddsa", b"\x00" + sign(ED_HEADER, claims(), ed=True).encode())
    write("FuzzTokenVerifier", "raw-alg-none", b"\x00" + (b64(b'{"alg":"none"}') + "." + b64(claims().encode()) + ".").encode())
    write("FuzzTokenVerifier", "raw-no-dots", b"\x00" + b64(claims().encode()).encode())
    for name, payload in PAYLOADS.items():
        write("FuzzTokenVerifier", "hs256-" + name, b"\x01" + HS_HEADER.encode() + b"\n" + payload.encode())
        write("FuzzTokenVerifier", "signer-" + name, b"\x03" + payload.encode())
    write("FuzzTokenVerifier", "eddsa", b"\x02" + ED_HEADER.encode() + b"\n" + claims().encode())
    for name, header in {
        "no-typ": '{"alg":"HS256","kid":"%s"}' % HS_KID,
        "typ-long": '{"typ":"application/AT+JWT","alg":"HS256","kid":"%s"}' % HS_KID,
        "typ-jwt": '{"alg":"HS256","kid":"%s","typ":"JWT"}' % HS_KID,
        "no-kid": '{"alg":"HS256","typ":"at+jwt"}',
        "crit": '{"alg":"HS256","kid":"%s","crit":["exp"]}' % HS_KID,
        "alg-confusion": '{"alg":"EdDSA","kid":"%s","typ":"at+jwt"}' % HS_KID,
        "escaped-header": r'{"\u0061lg":"HS256","kid":"%s","x":{"y":"\u00e9"}}' % HS_KID,
    }.items():
        write("FuzzTokenVerifier", "header-" + name, b"\x01" + header.encode() + b"\n" + claims().encode())

    # JSON reader: JSON texts as they are.
    for name, payload in PAYLOADS.items():
        write("FuzzJSONReader", "claims-" + name, payload.encode())
    write("FuzzJSONReader", "header-hs256", HS_HEADER.encode())
    write("FuzzJSONReader", "header-escapes", r'{"alg":"HS256","kid":"k","typ":"at+jwt","x":"\ud83d\udd11"}'.encode())
    write("FuzzJSONReader", "values", b'[1,-0,0.5e-3,"a\\u0000b",true,false,null,{"a":[{}]},"\xc3\xa9"]')
    write("FuzzJSONReader", "lone-surrogate", b'"\\ud800"')
    write("FuzzJSONReader", "string-utf8", "\"\u00e9\u4e2d\U0001F511\"".encode())

    # OAuth requests: mode byte (0-5 a body under a content type, 6-7 a query), then the bytes.
    write("FuzzOAuthRequest", "form-password", b"\x00grant_type=password&username=alice&password=p%40ss+word&scope=reader")
    write("FuzzOAuthRequest", "form-refresh", b"\x01grant_type=refresh_token&refresh_token=abc-_DEF123&client_id=x")
    write("FuzzOAuthRequest", "form-revoke", b"\x03token=eyJ.eyJ.sig&token_type_hint=access_token")
    write("FuzzOAuthRequest", "form-repeated", b"\x00grant_type=password&grant_type=refresh_token")
    write("FuzzOAuthRequest", "form-brackets", b"\x00username[a]=b&password[]=c&scope=%E2%82%AC")
    write("FuzzOAuthRequest", "form-bad-escape", b"\x00username=%zz&password=%")
    write("FuzzOAuthRequest", "form-not-utf8", b"\x00username=\xff\xfe")
    write("FuzzOAuthRequest", "json-password", b'\x02{"grant_type":"password","username":"alice","password":"p\\u00e9"}')
    write("FuzzOAuthRequest", "json-wrong-types", b'\x04{"token":1,"token_type_hint":null,"username":["a"]}')
    write("FuzzOAuthRequest", "json-not-object", b'\x02["token"]')
    write("FuzzOAuthRequest", "text-plain", b"\x05token=abc")
    write("FuzzOAuthRequest", "query-page", b"\x06limit=50&before=1732363200000-0")
    write("FuzzOAuthRequest", "query-edges", b"\x07limit=1000&after=18446744073709551615-18446744073709551615&before=0-0")
    write("FuzzOAuthRequest", "query-bad", b"\x06limit=-1&after=1-&before=%31-2")

    # Authorization header values.
    token = sign(HS_HEADER, claims())
    write("FuzzAuthorization", "bearer", ("Bearer " + token).encode())
    write("FuzzAuthorization", "bearer-case-spaces", ("bEARER   " + token).encode())
    write("FuzzAuthorization", "bearer-alone", b"Bearer")
    write("FuzzAuthorization", "bearer-space", b"Bearer ")
    write("FuzzAuthorization", "basic", b"Basic YWxpY2U6c2VjcmV0")
    write("FuzzAuthorization", "feed-credential", ("Bearer " + ID22 + "." + b64(bytes(32))).encode())
    write("FuzzAuthorization", "feed-credential-two-dots", b"Bearer a.b.c")
    write("FuzzAuthorization", "unicode", "Bearer \u00e9t\u00e9.x".encode())


main()
