/// A CloudEvents 1.0 event with its data kept as raw JSON bytes.
///
/// The untyped envelope: it carries every context attribute CityData uses and converts to and from
/// the Kafka binary content mode (``kafkaHeaders()``, ``init(kafkaHeaders:value:)``) and the
/// structured JSON mode (``structuredJSON()``, ``init(structuredJSON:)``). Services normally use the
/// typed layer, ``Event`` and ``EventCodec``, which builds on this one.
public struct CloudEvent: Sendable, Hashable {
    /// The only CloudEvents version produced and accepted.
    public static let specVersion = "1.0"

    /// Unique per source; CityData producers use a lowercase UUID.
    public var id: String
    /// URI-reference of the producer, e.g. `/city/ingest`.
    public var source: String
    /// Reverse-DNS, versioned event type, e.g. `vn.citydata.observation.recorded.v1`.
    public var type: String
    /// When the occurrence happened (or the event was produced).
    public var time: Timestamp
    /// What the event is about inside the source, e.g. a dataset id.
    public var subject: String?
    /// The media type of ``data``; always `application/json` for CityData events.
    public var dataContentType: String
    /// W3C `traceparent` when a trace is in progress.
    public var traceparent: String?
    /// The event data as UTF-8 JSON bytes; `nil` for an event without data.
    public var data: [UInt8]?

    /// Creates an envelope.
    public init(
        id: String,
        source: String,
        type: String,
        time: Timestamp,
        subject: String? = nil,
        dataContentType: String = EventMediaType.json,
        traceparent: String? = nil,
        data: [UInt8]?
    ) {
        self.id = id
        self.source = source
        self.type = type
        self.time = time
        self.subject = subject
        self.dataContentType = dataContentType
        self.traceparent = traceparent
        self.data = data
    }
}
