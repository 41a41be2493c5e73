import Foundation

/// Standard base64 (RFC 4648 §4, with padding), the alphabet Standard Webhooks uses for secrets and
/// signatures.
enum Base64 {
    /// The padded base64 text of `bytes`.
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    /// The bytes of standard base64 `text`; missing `=` padding is tolerated (some libraries strip it),
    /// anything else that is not base64 gives `nil`.
    static func decode(_ text: String) -> [UInt8]? {
        guard !text.isEmpty else { return [] }
        var padded = text
        let remainder = padded.utf8.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { padded += String(repeating: "=", count: 4 - remainder) }
        guard let data = Data(base64Encoded: padded) else { return nil }
        return Array(data)
    }
}
