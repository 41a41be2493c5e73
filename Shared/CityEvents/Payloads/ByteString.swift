import Foundation

/// Bytes carried in JSON: as text when they are valid UTF-8, otherwise as base64.
/// JSON: `{"encoding": "utf8" | "base64", "data": "…"}`.
public struct ByteString: Codable, Sendable, Hashable {
    /// How ``data`` holds the bytes.
    public enum Encoding: String, Codable, Sendable, Hashable {
        /// `data` is the bytes as UTF-8 text.
        case utf8
        /// `data` is standard base64 (RFC 4648, with padding).
        case base64
    }

    /// How ``data`` holds the bytes.
    public var encoding: Encoding
    /// The text or base64.
    public var data: String

    /// Wraps bytes, as text when they are valid UTF-8.
    public init(_ bytes: [UInt8]) {
        if let text = UTF8Text.decode(bytes) {
            encoding = .utf8
            data = text
        } else {
            encoding = .base64
            data = Data(bytes).base64EncodedString()
        }
    }

    /// Wraps an encoded form as is.
    public init(encoding: Encoding, data: String) {
        self.encoding = encoding
        self.data = data
    }

    /// The original bytes; `nil` when ``data`` is not valid base64.
    public var bytes: [UInt8]? {
        switch encoding {
        case .utf8: return Array(data.utf8)
        case .base64: return Data(base64Encoded: data).map { Array($0) }
        }
    }
}
