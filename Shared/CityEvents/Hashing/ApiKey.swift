/// The format of agency API keys, shared by the catalog (which issues them) and every service that
/// authenticates them (ingest, notifications) from the hashes on `city.catalog.agencies.v1`.
///
/// A key reads `cdk_<keyId>_<secret>`: `keyId` is 12 lowercase letters or digits (public, shown in
/// listings), `secret` 43 base64url characters (256 random bits). Only
/// `sha256:<hex of SHA-256 of the whole key>` is ever stored or published; the secret has 256 bits
/// of entropy, so a fast hash is safe here (no password stretching is needed).
public struct ApiKey: Sendable, Hashable, CustomStringConvertible {
    /// The prefix every key starts with, so that leaked keys are easy to recognise by scanners.
    public static let prefix = "cdk_"
    static let keyIdLength = 12
    static let secretLength = 43

    /// The public id of the key.
    public let keyId: String
    /// The whole key as the client sends it. Never log it.
    public let rawValue: String

    /// Parses a presented key; `nil` when it does not have the key format.
    public init?(_ presented: String) {
        let bytes = Array(presented.utf8)
        let prefix = Array(Self.prefix.utf8)
        let expected = prefix.count + Self.keyIdLength + 1 + Self.secretLength
        guard bytes.count == expected, bytes.starts(with: prefix) else { return nil }
        let idBytes = bytes[prefix.count..<(prefix.count + Self.keyIdLength)]
        guard idBytes.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }) else { return nil }
        guard bytes[prefix.count + Self.keyIdLength] == UInt8(ascii: "_") else { return nil }
        let secret = bytes[(prefix.count + Self.keyIdLength + 1)...]
        guard secret.allSatisfy(Self.isBase64URL) else { return nil }
        self.keyId = String(decoding: idBytes, as: UTF8.self)
        self.rawValue = presented
    }

    /// Generates a new key from `generator` (use the system's cryptographic generator, the default).
    public static func generate<G: RandomNumberGenerator>(using generator: inout G) -> ApiKey {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        let base64URL = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var id: [UInt8] = []
        for _ in 0..<keyIdLength { id.append(alphabet[Int(generator.next(upperBound: UInt8(alphabet.count)))]) }
        var secret: [UInt8] = []
        for _ in 0..<secretLength { secret.append(base64URL[Int(generator.next(upperBound: UInt8(64)))]) }
        let text = prefix + String(decoding: id, as: UTF8.self) + "_" + String(decoding: secret, as: UTF8.self)
        return ApiKey(text)!
    }

    /// Generates a new key from the system's cryptographically secure generator.
    public static func generate() -> ApiKey {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    /// `sha256:<lowercase hex>` — what ``ApiKeyRecord/hash`` stores.
    public var hash: String { Self.hash(of: rawValue) }

    /// The stored form of any presented text.
    public static func hash(of text: String) -> String { "sha256:" + SHA256.hexDigest(Array(text.utf8)) }

    /// Whether this key's hash equals `storedHash`, compared in constant time.
    public func matches(storedHash: String) -> Bool { Self.constantTimeEquals(hash, storedHash) }

    /// Compares two strings in time that depends only on their lengths.
    public static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    /// Redacted, so that a key printed by accident does not leak: `cdk_<keyId>_…`.
    public var description: String { Self.prefix + keyId + "_…" }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }
}
