/// A typed CityData event: the CloudEvents context attributes plus a decoded payload.
///
/// This is what services produce and consume; ``EventCodec`` converts it to and from Kafka records
/// (binary mode) and structured JSON.
public struct Event<Payload: EventPayload>: Sendable, Equatable {
    /// Unique event id (a lowercase UUID by default).
    public var id: String
    /// The producer, e.g. `/city/ingest`.
    public var source: String
    /// When the event was produced.
    public var time: Timestamp
    /// What the event is about, e.g. a dataset id.
    public var subject: String?
    /// W3C `traceparent` when a trace is in progress.
    public var traceparent: String?
    /// The event data.
    public var payload: Payload

    /// The CloudEvents `type`, fixed by the payload type.
    public var type: String { Payload.eventType }

    /// Creates an event.
    public init(
        id: String = EventCodec.newEventID(),
        source: String,
        time: Timestamp = .now(),
        subject: String? = nil,
        traceparent: String? = nil,
        payload: Payload
    ) {
        self.id = id
        self.source = source
        self.time = time
        self.subject = subject
        self.traceparent = traceparent
        self.payload = payload
    }
}
