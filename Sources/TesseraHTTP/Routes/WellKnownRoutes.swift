import Hummingbird
import TesseraCore

/// `GET /.well-known/jwks.json` and `GET /.well-known/oauth-authorization-server` (RFC 8414).
struct WellKnownRoutes {
    let node: TesseraNode

    func register(on router: Router<TesseraRequestContext>) {
        let keys = node.configuration.keys.jwks.map { jwk in
            JSONText.Value.object(jwk.keys.sorted().map { ($0, .string(jwk[$0]!)) })
        }
        let jwks = JSONText.object([("keys", .array(keys))])
        router.get("/.well-known/jwks.json") { _, _ in
            Response.json(jwks, headers: [.cacheControl: "public, max-age=300"])
        }

        let issuer = node.configuration.issuer
        let base = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        let metadata = JSONText.object([
            ("issuer", .string(issuer)),
            ("token_endpoint", .string(base + "/token")),
            ("jwks_uri", .string(base + "/.well-known/jwks.json")),
            ("revocation_endpoint", .string(base + "/revoke")),
            ("introspection_endpoint", .string(base + "/introspect")),
            ("grant_types_supported", .array([.string("password"), .string("refresh_token")])),
            ("response_types_supported", .array([])),
            ("token_endpoint_auth_methods_supported", .array([.string("none")])),
            ("revocation_endpoint_auth_methods_supported", .array([.string("none")])),
            ("introspection_endpoint_auth_methods_supported", .array([.string("bearer")])),
        ])
        router.get("/.well-known/oauth-authorization-server") { _, _ in
            Response.json(metadata, headers: [.cacheControl: "public, max-age=300"])
        }
    }
}
