import HTTPTypes
import Hummingbird
import TesseraCore

/// `GET /.well-known/jwks.json` and `GET /.well-known/oauth-authorization-server` (RFC 8414).
struct WellKnownRoutes {
    let keys: KeySet
    let issuer: String

    /// `{"keys":[...]}`: the public keys as JWKs (empty with HS256 only).
    struct JWKSet: ResponseEncodable {
        var keys: [[String: String]]
    }

    /// RFC 8414 metadata.
    struct Metadata: ResponseEncodable {
        var issuer: String
        var tokenEndpoint: String
        var jwksURI: String
        var revocationEndpoint: String
        var introspectionEndpoint: String
        var grantTypesSupported = ["password", "refresh_token"]
        var responseTypesSupported: [String] = []
        var tokenEndpointAuthMethodsSupported = ["none"]
        var revocationEndpointAuthMethodsSupported = ["none"]
        var introspectionEndpointAuthMethodsSupported = ["bearer"]

        init(issuer: String) {
            let base = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
            self.issuer = issuer
            tokenEndpoint = base + "/token"
            jwksURI = base + "/.well-known/jwks.json"
            revocationEndpoint = base + "/revoke"
            introspectionEndpoint = base + "/introspect"
        }

        enum CodingKeys: String, CodingKey {
            case issuer
            case tokenEndpoint = "token_endpoint"
            case jwksURI = "jwks_uri"
            case revocationEndpoint = "revocation_endpoint"
            case introspectionEndpoint = "introspection_endpoint"
            case grantTypesSupported = "grant_types_supported"
            case responseTypesSupported = "response_types_supported"
            case tokenEndpointAuthMethodsSupported = "token_endpoint_auth_methods_supported"
            case revocationEndpointAuthMethodsSupported = "revocation_endpoint_auth_methods_supported"
            case introspectionEndpointAuthMethodsSupported = "introspection_endpoint_auth_methods_supported"
        }
    }

    func register(on router: Router<TesseraRequestContext>) {
        let cacheable: HTTPFields = [.cacheControl: "public, max-age=300"]
        let jwks = JWKSet(keys: keys.jwks)
        router.get("/.well-known/jwks.json") { _, _ in
            EditedResponse(headers: cacheable, response: jwks)
        }
        let metadata = Metadata(issuer: issuer)
        router.get("/.well-known/oauth-authorization-server") { _, _ in
            EditedResponse(headers: cacheable, response: metadata)
        }
    }
}
