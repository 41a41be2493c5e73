/// A Standard Webhooks signing secret: `whsec_` followed by the base64 of 24–64 random bytes.
///
/// The subscriber receives the text form once, when the subscription is created (or its secret
/// rotated); the service keeps it to sign every delivery. ``description`` never shows the key.
public struct WebhookSecret: Sendable, Hashable, CustomStringConvertible {
    /// The text prefix of every secret.
    public static let prefix = "whsec_"
    /// The key sizes Standard Webhooks allows, in bytes.
    public static let allowedByteCounts = 24...64
    /// The size of the secrets this service generates, in bytes.
    public static let generatedByteCount = 32

    /// The raw key bytes the HMAC uses.
    public let keyBytes: [UInt8]

    /// A secret from raw key bytes, which must be 24–64 bytes long.
    public init(keyBytes: [UInt8]) throws(WebhookSecretError) {
        guard Self.allowedByteCounts.contains(keyBytes.count) else {
            throw .wrongKeyLength(keyBytes.count)
        }
        self.keyBytes = keyBytes
    }

    /// Parses the text form `whsec_<base64>`.
    public init(_ text: String) throws(WebhookSecretError) {
        guard text.hasPrefix(Self.prefix) else { throw .missingPrefix }
        guard let bytes = Base64.decode(String(text.dropFirst(Self.prefix.count))) else { throw .notBase64 }
        try self.init(keyBytes: bytes)
    }

    /// A new secret of ``generatedByteCount`` random bytes from `generator`
    /// (`SystemRandomNumberGenerator` in production; a seeded generator in tests).
    public static func generate<Generator: RandomNumberGenerator>(using generator: inout Generator) -> WebhookSecret {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(generatedByteCount)
        for _ in 0..<generatedByteCount { bytes.append(UInt8.random(in: .min ... .max, using: &generator)) }
        // 32 bytes is always within the allowed range.
        return WebhookSecret(unchecked: bytes)
    }

    /// A new secret from the system's cryptographically secure generator.
    public static func generate() -> WebhookSecret {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    private init(unchecked bytes: [UInt8]) {
        self.keyBytes = bytes
    }

    /// The text form `whsec_<base64>` — shown to the subscriber once, stored by the service.
    public var text: String { Self.prefix + Base64.encode(keyBytes) }

    /// Redacted: secrets must not reach logs.
    public var description: String { "whsec_…(\(keyBytes.count) bytes)" }
}

/// Why a text or byte string is not a webhook secret.
public enum WebhookSecretError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text does not start with `whsec_`.
    case missingPrefix
    /// The part after `whsec_` is not standard base64.
    case notBase64
    /// The key is not 24–64 bytes long.
    case wrongKeyLength(Int)

    public var description: String {
        switch self {
        case .missingPrefix:
            return "a webhook secret must start with \"whsec_\""
        case .notBase64:
            return "the part of a webhook secret after \"whsec_\" must be standard base64"
        case .wrongKeyLength(let count):
            return "a webhook secret must hold 24 to 64 bytes; this one holds \(count)"
        }
    }
}
