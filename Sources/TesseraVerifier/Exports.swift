// The claims type every caller of the verifier handles, without a second import.
@_exported public import struct TesseraCore.AccessTokenClaims
