/// An IPv4 or IPv6 address as its network-order bytes (4 or 16).
///
/// The App converts each address a host name resolves to into one of these (``init(bytes:)``) and
/// asks ``DestinationPolicy`` whether it may connect there; text forms parse strictly (see
/// ``init(_:)``) so that no ambiguous spelling slips through.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address family.
    public enum Family: Sendable, Hashable {
        /// 4 bytes.
        case v4
        /// 16 bytes.
        case v6
    }

    /// The address in network byte order: 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    /// An address from 4 (IPv4) or 16 (IPv6) bytes; `nil` for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// The IPv4 address `a.b.c.d`.
    public init(v4 a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        self.bytes = [a, b, c, d]
    }

    /// The family, from the byte count.
    public var family: Family { bytes.count == 4 ? .v4 : .v6 }

    /// The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), else `nil`.
    public var ipv4Mapped: IPAddress? {
        guard family == .v6, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF else { return nil }
        return IPAddress(v4: bytes[12], bytes[13], bytes[14], bytes[15])
    }

    /// Whether the first `length` bits equal those of `prefix` (same family).
    func hasPrefix(_ prefix: [UInt8], length: Int) -> Bool {
        guard prefix.count == bytes.count else { return false }
        var remaining = length
        var index = 0
        while remaining >= 8 {
            if bytes[index] != prefix[index] { return false }
            remaining -= 8
            index += 1
        }
        if remaining > 0 {
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - remaining))
            if bytes[index] & mask != prefix[index] & mask { return false }
        }
        return true
    }
}
