import CityEvents

/// The Standard Webhooks `webhook-id` of a delivery: `msg_` and 32 hex digits derived from the
/// subscription id and the event id.
///
/// Deterministic, so every retry (and a replay) of one event to one subscription carries the same id
/// and receivers can drop duplicates; two subscriptions receiving the same event get different ids.
public enum WebhookMessageID {
    /// The id prefix.
    public static let prefix = "msg_"

    /// The id of delivering event `eventId` to subscription `subscriptionId`.
    public static func make(subscriptionId: String, eventId: String) -> String {
        // Length-prefixed so that ("ab", "c") and ("a", "bc") cannot collide.
        var input = Array("citydata-webhook-id-v1\n".utf8)
        let subscription = Array(subscriptionId.utf8)
        input.append(contentsOf: Array(String(subscription.count).utf8))
        input.append(0x3A)
        input.append(contentsOf: subscription)
        input.append(contentsOf: Array(eventId.utf8))
        let digest = SHA256.digest(input)
        return prefix + HexText.lowercase(digest.prefix(16))
    }
}

/// Lowercase hexadecimal text.
enum HexText {
    static func lowercase<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
