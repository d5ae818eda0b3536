public import Hummingbird
import NIOCore

/// The request context of every Tessera route.
public struct TesseraRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's IP address, for lockout and session listings.
    public let remoteAddress: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Bodies above 64 KiB get 413 (API.md's limit), also when chunked.
    public var maxUploadSize: Int { 64 * 1024 }
}
