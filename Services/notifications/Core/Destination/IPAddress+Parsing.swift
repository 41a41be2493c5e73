extension IPAddress {
    /// Parses an IPv4 dotted quad (`192.0.2.1`) or an IPv6 address (`2001:db8::1`, `::ffff:192.0.2.1`),
    /// strictly: IPv4 parts are decimal 0–255 without leading zeros (`010` could mean octal to some
    /// resolvers), no shortened IPv4 forms (`127.1`), no IPv6 zone (`%eth0`). `nil` otherwise.
    public init?(_ text: String) {
        if text.contains(":") {
            guard let bytes = Self.parseV6(Array(text.utf8)) else { return nil }
            self.bytes = bytes
        } else {
            guard let bytes = Self.parseV4(Array(text.utf8)) else { return nil }
            self.bytes = bytes
        }
    }

    static func parseV4(_ text: [UInt8]) -> [UInt8]? {
        let parts = text.split(separator: 0x2E, omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy(isDecimalDigit) else { return nil }
            if part.count > 1 && part.first == 0x30 { return nil }
            let value = part.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            guard value <= 255 else { return nil }
            bytes.append(UInt8(value))
        }
        return bytes
    }

    static func parseV6(_ text: [UInt8]) -> [UInt8]? {
        guard !text.isEmpty, !text.contains(0x25) else { return nil }  // no zone id
        // Split around a single "::".
        var head = text[...]
        var tail: ArraySlice<UInt8>? = nil
        if let gap = firstDoubleColon(in: text) {
            head = text[..<gap]
            let rest = text[(gap + 2)...]
            if firstDoubleColon(in: Array(rest)) != nil { return nil }
            tail = rest
        }
        guard let headGroups = groups(head, allowIPv4Tail: tail == nil) else { return nil }
        var groupsOut = headGroups
        if let tail {
            guard let tailGroups = groups(tail, allowIPv4Tail: true) else { return nil }
            let missing = 8 - headGroups.count - tailGroups.count
            guard missing >= 1 else { return nil }
            groupsOut += Array(repeating: 0, count: missing) + tailGroups
        }
        guard groupsOut.count == 8 else { return nil }
        var bytes: [UInt8] = []
        for group in groupsOut {
            bytes.append(UInt8(group >> 8))
            bytes.append(UInt8(group & 0xFF))
        }
        return bytes
    }

    private static func firstDoubleColon(in text: [UInt8]) -> Int? {
        guard text.count >= 2 else { return nil }
        for index in 0..<(text.count - 1) where text[index] == 0x3A && text[index + 1] == 0x3A { return index }
        return nil
    }

    /// The 16-bit groups of a colon-separated run (empty run → no groups); the last may be a dotted
    /// IPv4 address counting as two groups.
    private static func groups(_ run: ArraySlice<UInt8>, allowIPv4Tail: Bool) -> [UInt16]? {
        if run.isEmpty { return [] }
        let parts = run.split(separator: 0x3A, omittingEmptySubsequences: false)
        var result: [UInt16] = []
        for (index, part) in parts.enumerated() {
            if index == parts.count - 1, part.contains(0x2E) {
                guard allowIPv4Tail, let v4 = parseV4(Array(part)) else { return nil }
                result.append(UInt16(v4[0]) << 8 | UInt16(v4[1]))
                result.append(UInt16(v4[2]) << 8 | UInt16(v4[3]))
                continue
            }
            guard (1...4).contains(part.count) else { return nil }
            var value: UInt16 = 0
            for character in part {
                guard let digit = hexValue(character) else { return nil }
                value = value << 4 | UInt16(digit)
            }
            result.append(value)
        }
        return result.count <= 8 ? result : nil
    }

    private static func isDecimalDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x61...0x66: return byte - 0x61 + 10
        case 0x41...0x46: return byte - 0x41 + 10
        default: return nil
        }
    }
}
