#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Random (version 4) UUIDs in lowercase, the platform's event ids, drawn from the system's random
/// source a block at a time.
///
/// Foundation's `UUID()` on Linux opens, reads and closes `/dev/urandom` for every id: at 60,000
/// records/s that was 11 % of ingest's CPU (`perf`, session 9), most of it in the kernel's path
/// lookup. Here one read of the same device serves 4,096 ids; the bytes are as random as `UUID()`'s.
enum RandomEventID {
    private static let source = Mutex(RandomBlock())

    /// A new id, e.g. `1b4e28ba-2fa1-4d2b-883f-0016d3cca427`.
    static func next() -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { bytes in
            fill(bytes)
            return UUIDText.lowercase(UnsafeBufferPointer(bytes))
        }
    }

    /// The UTF-8 bytes of a new id (e.g. for a `ce_id` header), without making a `String`.
    static func nextBytes() -> [UInt8] {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16) { bytes in
            fill(bytes)
            return [UInt8](unsafeUninitializedCapacity: UUIDText.length) { text, count in
                count = UUIDText.write(UnsafeBufferPointer(bytes), into: text)
            }
        }
    }

    /// 16 random bytes with the version and variant bits of a version 4 UUID.
    private static func fill(_ bytes: UnsafeMutableBufferPointer<UInt8>) {
        source.withLock { $0.take16(into: bytes) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40  // version 4
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 9562 variant
    }
}

/// A block of random bytes handed out 16 at a time, refilled from the system when used up.
private struct RandomBlock: ~Copyable {
    private static let size = 65_536
    private var bytes = [UInt8](repeating: 0, count: RandomBlock.size)
    private var used = RandomBlock.size

    mutating func take16(into target: UnsafeMutableBufferPointer<UInt8>) {
        if used + 16 > bytes.count {
            Self.fill(&bytes)
            used = 0
        }
        bytes.withUnsafeBufferPointer { source in
            for index in 0..<16 { target[index] = source[used + index] }
        }
        used += 16
    }

    private static func fill(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { buffer in
            #if canImport(Glibc)
            var filled = 0
            let device = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
            if device >= 0 {
                while filled < buffer.count {
                    let got = read(device, buffer.baseAddress! + filled, buffer.count - filled)
                    if got > 0 { filled += got } else if got == 0 || errno != EINTR { break }
                }
                close(device)
            }
            if filled < buffer.count {
                // Without /dev/urandom (an unusual sandbox), the standard library's generator.
                var generator = SystemRandomNumberGenerator()
                for index in filled..<buffer.count { buffer[index] = generator.next() }
            }
            #else
            arc4random_buf(buffer.baseAddress!, buffer.count)
            #endif
        }
    }
}
