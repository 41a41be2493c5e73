import CityEvents

/// Everything of one webhook attempt except the connection: the body (the CloudEvent in structured
/// JSON mode) and the headers (content type and the three Standard Webhooks headers). The App's
/// sender adds `user-agent`, posts it to the checked address, and does not follow redirects.
public struct WebhookRequest: Sendable, Hashable {
    /// The CloudEvents structured-mode media type of the body.
    public static let contentType = "application/cloudevents+json; charset=utf-8"

    /// The exact bytes that were signed; send them unchanged.
    public var body: [UInt8]
    /// The Standard Webhooks headers.
    public var webhook: WebhookHeaders

    /// The request for delivering `event` to `subscriptionId` at `time`, signed with every active key.
    /// The `webhook-id` depends only on the subscription and the event, so retries share it; the
    /// timestamp and signatures are fresh for each attempt.
    public init(event: CloudEvent, subscriptionId: String, keys: SigningKeys, time: Timestamp) {
        body = event.structuredJSON()
        webhook = WebhookSigner.sign(
            messageID: WebhookMessageID.make(subscriptionId: subscriptionId, eventId: event.id), time: time, body: body, keys: keys
        )
    }

    /// All headers to send, as (name, value) pairs.
    public var headers: [(name: String, value: String)] {
        [("content-type", Self.contentType)] + webhook.fields
    }
}
