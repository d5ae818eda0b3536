public import Foundation
public import Hummingbird
public import HummingbirdAuth
import NIOCore
public import TesseraCore

/// The request context of every Tessera route: the caller's verified token once the bearer
/// authenticator has run, and where the request came from.
public struct TesseraRequestContext: AuthRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The verified, unrevoked claims of the caller's access token, on authenticated routes.
    public var identity: AccessTokenClaims?
    /// The TCP peer's socket address, turned into an ``IPAddress`` only by the routes that
    /// need one (not on the token-check hot path).
    private let peer: SocketAddress?
    /// The client a trusted proxy's forwarding headers name, set by the client address middleware.
    var forwardedClientAddress: IPAddress?

    /// The TCP peer's IP address.
    public var peerAddress: IPAddress? {
        peer?.ipAddress.flatMap { IPAddress($0) }
    }

    /// The client's IP address, for the failure limits and session listings: the peer's, or,
    /// when the peer is a trusted proxy, the one its forwarding headers name.
    public var clientAddress: IPAddress? {
        forwardedClientAddress ?? peerAddress
    }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.identity = nil
        self.peer = source.channel.remoteAddress
        self.forwardedClientAddress = nil
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
