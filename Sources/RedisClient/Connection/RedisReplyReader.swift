internal import CHiredis
import NIOCore

/// hiredis's RESP2 reader: bytes in, `RedisValue`s out, in the order the server sent them.
///
/// Owns one `redisReader` and frees it in `deinit`. A pure function over bytes, so it runs on the
/// channel's event loop; one channel handler owns it, so it is never shared.
final class RedisReplyReader {
    private let reader: UnsafeMutablePointer<redisReader>

    init() {
        guard let reader = tsr_reader_create() else { fatalError("redisReaderCreate could not allocate a reader") }
        self.reader = reader
    }

    deinit {
        tsr_reader_free(reader)
    }

    /// Hands the reader the bytes that arrived; they are copied into its own buffer.
    func feed(_ buffer: ByteBuffer) throws(RedisError) {
        let status = buffer.withUnsafeReadableBytes { bytes in
            tsr_reader_feed(reader, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
        }
        guard status == REDIS_OK else { throw failure() }
    }

    /// The next complete reply, or nil until more bytes arrive.
    ///
    /// - Throws: `RedisError` `.protocolError` when the bytes are not RESP; the reader is then unusable.
    func next() throws(RedisError) -> RedisValue? {
        var reply: UnsafeMutableRawPointer?
        guard tsr_reader_get_reply(reader, &reply) == REDIS_OK else { throw failure() }
        guard let reply else { return nil }
        defer { tsr_free_reply(reply) }
        return Self.value(of: reply.assumingMemoryBound(to: redisReply.self))
    }

    private func failure() -> RedisError {
        RedisError(.protocolError, String(cString: tsr_reader_errstr(reader)))
    }

    private static func value(of reply: UnsafeMutablePointer<redisReply>) -> RedisValue {
        let r = reply.pointee
        switch r.type {
        case REDIS_REPLY_STATUS: return .simpleString(text(r))
        case REDIS_REPLY_ERROR: return .error(text(r))
        case REDIS_REPLY_INTEGER: return .integer(Int64(r.integer))
        case REDIS_REPLY_NIL: return .null
        case REDIS_REPLY_STRING:
            guard let str = r.str else { return .bulkString([]) }
            return .bulkString(Array(UnsafeRawBufferPointer(start: str, count: r.len)))
        case REDIS_REPLY_ARRAY:
            guard let elements = r.element else { return .array([]) }
            return .array((0..<r.elements).map { index in elements[index].map(value(of:)) ?? .null })
        default:
            return .error("unsupported reply type \(r.type)")
        }
    }

    private static func text(_ reply: redisReply) -> String {
        guard let str = reply.str else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: str, count: reply.len), as: UTF8.self)
    }
}
