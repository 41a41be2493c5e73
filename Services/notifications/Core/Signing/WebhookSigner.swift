import CityEvents

/// Signs webhook deliveries per Standard Webhooks: the signed content is
/// `"{webhook-id}.{webhook-timestamp}.{body}"`, each signature is `v1,` and the base64 HMAC-SHA256
/// of that content under one secret.
public enum WebhookSigner {
    /// The signature version this service produces and accepts.
    public static let version = "v1"

    /// The headers for one attempt of delivering `body` at `time` under every secret in `secrets`
    /// (current first). `secrets` must not be empty.
    public static func sign(messageID: String, time: Timestamp, body: [UInt8], secrets: [WebhookSecret]) -> WebhookHeaders {
        precondition(!secrets.isEmpty, "a delivery needs at least one secret to sign with")
        let timestamp = time.secondsSinceEpoch
        let signature = secrets
            .map { version + "," + Base64.encode(code(messageID: messageID, timestamp: timestamp, body: body, secret: $0)) }
            .joined(separator: " ")
        return WebhookHeaders(id: messageID, timestamp: timestamp, signature: signature)
    }

    /// The headers for delivering `body` at `time` with a subscription's keys.
    public static func sign(messageID: String, time: Timestamp, body: [UInt8], keys: SigningKeys) -> WebhookHeaders {
        sign(messageID: messageID, time: time, body: body, secrets: keys.activeSecrets(at: time))
    }

    /// The raw HMAC of the signed content.
    static func code(messageID: String, timestamp: Int64, body: [UInt8], secret: WebhookSecret) -> [UInt8] {
        var content = Array("\(messageID).\(timestamp).".utf8)
        content.append(contentsOf: body)
        return HMACSHA256.authenticationCode(for: content, key: secret.keyBytes)
    }
}
