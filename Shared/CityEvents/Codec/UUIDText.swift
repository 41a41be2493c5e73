/// The text form of a UUID's 16 bytes: 8-4-4-4-12 lowercase hex digits, as event and observation ids
/// are written.
enum UUIDText {
    static func lowercase(_ bytes: [UInt8]) -> String {
        precondition(bytes.count >= 16, "a UUID has 16 bytes")
        return bytes.withUnsafeBufferPointer { lowercase($0) }
    }

    /// The length of a UUID's text.
    static let length = 36

    /// The text of the first 16 bytes of `bytes`.
    static func lowercase(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: length) { write(bytes, into: $0) }
    }

    /// Writes the text of the first 16 bytes of `bytes` into `text` (room for ``length`` bytes);
    /// returns ``length``.
    static func write(_ bytes: UnsafeBufferPointer<UInt8>, into text: UnsafeMutableBufferPointer<UInt8>) -> Int {
        precondition(bytes.count >= 16 && text.count >= length, "a UUID has 16 bytes and 36 characters")
        @inline(__always) func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x57 + nibble }
        var position = 0
        for index in 0..<16 {
            if index == 4 || index == 6 || index == 8 || index == 10 {
                text[position] = UInt8(ascii: "-")
                position += 1
            }
            text[position] = hexDigit(bytes[index] >> 4)
            text[position + 1] = hexDigit(bytes[index] & 0x0F)
            position += 2
        }
        return position
    }
}
