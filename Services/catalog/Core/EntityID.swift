/// The ids of agencies and datasets: 1–63 characters of lowercase letters, digits and `-`, starting
/// with a letter or digit (e.g. `so-tnmt-hanoi`), so that they are safe in URLs, topic keys and logs.
public enum EntityID {
    /// What a valid id looks like, for error messages.
    public static let expectation = "1–63 lowercase letters, digits or '-', starting with a letter or digit"

    /// Whether `text` is a valid id.
    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...63).contains(bytes.count), bytes[0] != UInt8(ascii: "-") else { return false }
        return bytes.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "-") }
    }
}
