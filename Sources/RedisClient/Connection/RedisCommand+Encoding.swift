internal import CHiredis
import NIOCore

extension RedisCommand {
    /// Appends the command in RESP, as hiredis's `redisFormatCommandArgv` encodes it (binary safe).
    ///
    /// A pure function over bytes: safe on an event loop.
    func encode(into buffer: inout ByteBuffer) {
        // One contiguous copy keeps every argument alive and addressable for the C call.
        var storage: [UInt8] = []
        storage.reserveCapacity(arguments.reduce(1) { $0 + $1.count })
        var offsets: [Int] = []
        var lengths: [Int] = []
        offsets.reserveCapacity(arguments.count)
        lengths.reserveCapacity(arguments.count)
        for argument in arguments {
            offsets.append(storage.count)
            lengths.append(argument.count)
            storage.append(contentsOf: argument)
        }
        storage.append(0)
        var formatted: UnsafeMutablePointer<CChar>?
        let length = storage.withUnsafeBufferPointer { bytes in
            let base = UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self)
            var argv: [UnsafePointer<CChar>?] = offsets.map { base + $0 }
            return argv.withUnsafeMutableBufferPointer { argv in
                lengths.withUnsafeBufferPointer { lengths in
                    tsr_format_command_argv(&formatted, Int32(arguments.count), argv.baseAddress, lengths.baseAddress)
                }
            }
        }
        guard length >= 0, let formatted else {
            // hiredis fails only when malloc does; there is no sensible way on from there.
            fatalError("redisFormatCommandArgv could not allocate \(storage.count) bytes")
        }
        defer { tsr_free_command(formatted) }
        buffer.writeBytes(UnsafeRawBufferPointer(start: formatted, count: Int(length)))
    }
}
