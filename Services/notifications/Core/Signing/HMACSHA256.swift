import CityEvents

/// HMAC-SHA256 (RFC 2104 with SHA-256, as RFC 4231 tests it), built on ``CityEvents/SHA256``.
///
/// Used to sign and verify webhook payloads. Keys longer than the 64-byte block are hashed first;
/// shorter keys are zero-padded, as RFC 2104 says.
public enum HMACSHA256 {
    /// SHA-256's block size in bytes.
    static let blockSize = 64

    /// The 32-byte authentication code of `message` under `key`.
    public static func authenticationCode(for message: [UInt8], key: [UInt8]) -> [UInt8] {
        var block = key.count > blockSize ? SHA256.digest(key) : key
        block.append(contentsOf: repeatElement(0, count: blockSize - block.count))
        var inner = block.map { $0 ^ 0x36 }
        inner.append(contentsOf: message)
        var outer = block.map { $0 ^ 0x5C }
        outer.append(contentsOf: SHA256.digest(inner))
        return SHA256.digest(outer)
    }
}
