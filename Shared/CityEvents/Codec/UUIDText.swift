/// The text form of a UUID's 16 bytes: 8-4-4-4-12 lowercase hex digits, as event and observation ids
/// are written.
enum UUIDText {
    static func lowercase(_ bytes: [UInt8]) -> String {
        precondition(bytes.count >= 16, "a UUID has 16 bytes")
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: 36) { text in
            var position = 0
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    text[position] = UInt8(ascii: "-")
                    position += 1
                }
                text[position] = hex[Int(bytes[index] >> 4)]
                text[position + 1] = hex[Int(bytes[index] & 0x0F)]
                position += 2
            }
            return position
        }
    }
}
