/// The three Standard Webhooks headers of one delivery attempt.
public struct WebhookHeaders: Sendable, Hashable {
    /// `webhook-id`.
    public static let idName = "webhook-id"
    /// `webhook-timestamp`.
    public static let timestampName = "webhook-timestamp"
    /// `webhook-signature`.
    public static let signatureName = "webhook-signature"

    /// The message id, the same for every attempt of one delivery (see ``WebhookMessageID``).
    public var id: String
    /// The attempt's time in whole Unix seconds.
    public var timestamp: Int64
    /// Space-separated `v1,<base64>` signatures, one per active secret.
    public var signature: String

    /// Headers from their values.
    public init(id: String, timestamp: Int64, signature: String) {
        self.id = id
        self.timestamp = timestamp
        self.signature = signature
    }

    /// The headers as (name, value) pairs, ready for an HTTP request.
    public var fields: [(name: String, value: String)] {
        [(Self.idName, id), (Self.timestampName, String(timestamp)), (Self.signatureName, signature)]
    }
}
