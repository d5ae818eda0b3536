internal import CHiredis
import NIOCore

extension RedisCommand {
    /// Appends the command in RESP, as hiredis's `redisFormatCommandArgv` encodes it (binary safe).
    ///
    /// A pure function over bytes: safe on an event loop.
    func encode(into buffer: inout ByteBuffer) {
        // One contiguous copy keeps every argument addressable for the C call; the argv and length
        // arrays live on the stack.
        var storage: [UInt8] = []
        storage.reserveCapacity(arguments.reduce(1) { $0 + $1.count })
        for argument in arguments {
            storage.append(contentsOf: argument)
        }
        storage.append(0)
        var formatted: UnsafeMutablePointer<CChar>?
        let length = storage.withUnsafeBufferPointer { bytes in
            withUnsafeTemporaryAllocation(of: UnsafePointer<CChar>?.self, capacity: arguments.count) { argv in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: arguments.count) { lengths in
                    let base = UnsafeRawPointer(bytes.baseAddress!).assumingMemoryBound(to: CChar.self)
                    var offset = 0
                    for (index, argument) in arguments.enumerated() {
                        argv[index] = base + offset
                        lengths[index] = argument.count
                        offset += argument.count
                    }
                    return tsr_format_command_argv(&formatted, Int32(arguments.count), argv.baseAddress, lengths.baseAddress)
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
