public import Foundation
public import Hummingbird
public import HummingbirdAuth
public import TesseraCore

/// The request context of every Tessera route: the caller's verified token once the bearer
/// authenticator has run, and where the request came from.
public struct TesseraRequestContext: AuthRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The verified, unrevoked claims of the caller's access token, on authenticated routes.
    public var identity: AccessTokenClaims?
    /// The TCP peer's IP address.
    public let peerAddress: IPAddress?
    /// The client's IP address, for the failure limits and session listings: the peer's, or,
    /// when the peer is a trusted proxy, the one its forwarding headers name.
    public var clientAddress: IPAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.identity = nil
        self.peerAddress = source.channel.remoteAddress?.ipAddress.flatMap { IPAddress($0) }
        self.clientAddress = peerAddress
    }

    /// Bodies above 64 KiB get 413, also when chunked.
    public var maxUploadSize: Int { 64 * 1024 }

    /// JSON bodies, as Hummingbird decodes them.
    public var requestDecoder: JSONDecoder { JSONDecoder() }

    /// JSON answers with keys in a stable order.
    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
