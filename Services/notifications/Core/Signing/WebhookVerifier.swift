import CityEvents

/// Verifies a received webhook the way a Standard Webhooks receiver must: all three headers present,
/// timestamp within the tolerance of the receiver's clock (against replays), and at least one `v1`
/// signature matching one of the receiver's secrets, compared in constant time.
public struct WebhookVerifier: Sendable {
    /// The secrets the receiver accepts (during a rotation, the new and the old one).
    public var secrets: [WebhookSecret]
    /// How far the timestamp may be from the receiver's clock, either way, in seconds.
    public var toleranceSeconds: Int64

    /// The tolerance the specification's reference libraries use: five minutes.
    public static let defaultToleranceSeconds: Int64 = 300

    /// A verifier accepting signatures from any of `secrets`.
    public init(secrets: [WebhookSecret], toleranceSeconds: Int64 = defaultToleranceSeconds) {
        self.secrets = secrets
        self.toleranceSeconds = toleranceSeconds
    }

    /// Checks `body` against headers looked up case-insensitively through `header` (name → value),
    /// at the receiver's time `now`. Returns the verified headers.
    @discardableResult
    public func verify(body: [UInt8], header: (String) -> String?, now: Timestamp) throws(WebhookVerificationError) -> WebhookHeaders {
        guard let id = header(WebhookHeaders.idName), !id.isEmpty else { throw .missingHeader(WebhookHeaders.idName) }
        guard let timestampText = header(WebhookHeaders.timestampName), !timestampText.isEmpty else {
            throw .missingHeader(WebhookHeaders.timestampName)
        }
        guard let signature = header(WebhookHeaders.signatureName), !signature.isEmpty else {
            throw .missingHeader(WebhookHeaders.signatureName)
        }
        guard timestampText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let timestamp = Int64(timestampText) else {
            throw .invalidTimestamp(timestampText)
        }
        let skew = now.secondsSinceEpoch - timestamp
        if skew > toleranceSeconds { throw .timestampTooOld(seconds: skew) }
        if -skew > toleranceSeconds { throw .timestampTooNew(seconds: -skew) }

        var sawVersion1 = false
        for candidate in signature.split(separator: " ", omittingEmptySubsequences: true) {
            guard let comma = candidate.firstIndex(of: ",") else { continue }
            guard candidate[..<comma] == WebhookSigner.version else { continue }
            sawVersion1 = true
            guard let received = Base64.decode(String(candidate[candidate.index(after: comma)...])) else { continue }
            for secret in secrets {
                let expected = WebhookSigner.code(messageID: id, timestamp: timestamp, body: body, secret: secret)
                if ConstantTime.equal(expected, received) {
                    return WebhookHeaders(id: id, timestamp: timestamp, signature: signature)
                }
            }
        }
        throw sawVersion1 ? .noMatchingSignature : .noSupportedSignature
    }

    /// Checks `body` against a dictionary of headers (names matched case-insensitively).
    @discardableResult
    public func verify(body: [UInt8], headers: [String: String], now: Timestamp) throws(WebhookVerificationError) -> WebhookHeaders {
        var lowercased: [String: String] = [:]
        for (name, value) in headers { lowercased[name.lowercased()] = value }
        return try verify(body: body, header: { lowercased[$0] }, now: now)
    }
}

/// Why a received webhook was not accepted.
public enum WebhookVerificationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A required header is absent or empty.
    case missingHeader(String)
    /// `webhook-timestamp` is not whole Unix seconds.
    case invalidTimestamp(String)
    /// The timestamp is older than the tolerance allows (a replay, or a clock far behind).
    case timestampTooOld(seconds: Int64)
    /// The timestamp is further in the future than the tolerance allows.
    case timestampTooNew(seconds: Int64)
    /// `webhook-signature` holds no `v1,` signature.
    case noSupportedSignature
    /// No `v1` signature matches any of the receiver's secrets.
    case noMatchingSignature

    public var description: String {
        switch self {
        case .missingHeader(let name):
            return "header \(name) is missing"
        case .invalidTimestamp(let text):
            return "webhook-timestamp \"\(text)\" is not whole Unix seconds"
        case .timestampTooOld(let seconds):
            return "webhook-timestamp is \(seconds) s in the past, beyond the tolerance; check the sender's clock or drop the replay"
        case .timestampTooNew(let seconds):
            return "webhook-timestamp is \(seconds) s in the future, beyond the tolerance; check the clocks"
        case .noSupportedSignature:
            return "webhook-signature holds no v1 signature"
        case .noMatchingSignature:
            return "no v1 signature matches the receiver's secrets (wrong secret, or the body was changed)"
        }
    }
}
