extension IPAddress {
    /// The canonical text: dotted quad for IPv4; RFC 5952 for IPv6 (lowercase, longest run of two or
    /// more zero groups as `::`, IPv4-mapped addresses as `::ffff:a.b.c.d`).
    public var description: String {
        if family == .v4 { return bytes.map(String.init).joined(separator: ".") }
        if let mapped = ipv4Mapped { return "::ffff:" + mapped.description }
        var groups: [UInt16] = []
        for index in stride(from: 0, to: 16, by: 2) { groups.append(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])) }
        var bestStart = -1, bestLength = 0, runStart = -1
        for index in 0...groups.count {
            if index < groups.count && groups[index] == 0 {
                if runStart < 0 { runStart = index }
            } else if runStart >= 0 {
                let length = index - runStart
                if length > bestLength { bestStart = runStart; bestLength = length }
                runStart = -1
            }
        }
        func hex(_ range: Range<Int>) -> String {
            groups[range].map { String($0, radix: 16) }.joined(separator: ":")
        }
        guard bestLength >= 2 else { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }
}
