import Hummingbird

/// Sets the request's client address from the forwarding headers of a trusted proxy (see
/// ``ClientAddressResolver``); without trusted proxies it leaves the peer's address.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = TesseraRequestContext
    let resolver: ClientAddressResolver

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !resolver.trustedProxies.isEmpty else { return try await next(request, context) }
        var context = context
        context.forwardedClientAddress = resolver.client(peer: context.peerAddress, headers: request.headers)
        return try await next(request, context)
    }
}
