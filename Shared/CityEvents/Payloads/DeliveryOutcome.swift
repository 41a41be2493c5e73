/// `vn.citydata.notification.delivery.v1` on `city.notifications.deliveries.v1`, keyed by
/// subscription id: the outcome of one delivery attempt of an event to a subscriber (audit trail).
public struct DeliveryOutcome: EventPayload, Hashable {
    public static let eventType = EventType.deliveryOutcome
    public static let topic = TopicName.deliveries

    /// The subscription delivered to.
    public var subscriptionId: String
    /// The CloudEvent id delivered.
    public var eventId: String
    /// The CloudEvent type delivered, when recorded.
    public var eventType: String?
    /// The Standard Webhooks `webhook-id` (the same for every attempt of one delivery).
    public var webhookId: String
    /// Attempt number, from 1.
    public var attempt: Int
    /// The outcome.
    public var status: DeliveryStatus
    /// The HTTP status the subscriber answered, if it answered.
    public var responseCode: Int?
    /// How long the attempt took, in milliseconds.
    public var latencyMs: Int?
    /// What went wrong, for failed attempts.
    public var error: String?
    /// When the attempt finished.
    public var at: Timestamp

    /// Creates an outcome.
    public init(
        subscriptionId: String, eventId: String, eventType: String? = nil, webhookId: String, attempt: Int,
        status: DeliveryStatus, responseCode: Int? = nil, latencyMs: Int? = nil, error: String? = nil, at: Timestamp
    ) {
        self.subscriptionId = subscriptionId
        self.eventId = eventId
        self.eventType = eventType
        self.webhookId = webhookId
        self.attempt = attempt
        self.status = status
        self.responseCode = responseCode
        self.latencyMs = latencyMs
        self.error = error
        self.at = at
    }

    public var partitionKey: [UInt8]? { Array(subscriptionId.utf8) }
    public var defaultSubject: String? { subscriptionId }
}

/// The outcome of a delivery attempt.
public enum DeliveryStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// The subscriber answered 2xx.
    case delivered
    /// The attempt failed; it will be retried.
    case failed
    /// Retries are exhausted; the delivery went to the dead letters.
    case deadLettered = "dead-lettered"
}
