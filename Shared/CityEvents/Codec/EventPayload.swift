/// The data of one kind of CityData event.
///
/// A payload type declares its CloudEvents `type` and home topic, and each value says which Kafka
/// key it is published under, so that ``EventCodec`` can turn it into a complete Kafka record.
/// JSON encoding goes through `Codable` (camelCase keys, sorted, optional fields omitted when nil);
/// a type may replace ``encodeJSON()``/``decodeJSON(_:)`` with a faster path that produces and
/// accepts the same JSON (``ObservationRecorded`` does).
public protocol EventPayload: Codable, Sendable, Equatable {
    /// The CloudEvents `type`, e.g. `vn.citydata.observation.recorded.v1`.
    static var eventType: String { get }
    /// The topic this payload is normally published to.
    static var topic: String { get }
    /// The topic this value is published to; ``topic`` unless the value decides otherwise
    /// (a dead letter goes to `<original topic>.dlq`).
    var destinationTopic: String { get }
    /// The Kafka key bytes, as the topic's key column in PLATFORM.md says.
    var partitionKey: [UInt8]? { get }
    /// The `ce_subject` used when the caller gives none (e.g. the dataset id of an observation).
    var defaultSubject: String? { get }
    /// The JSON bytes of this payload.
    func encodeJSON() throws(EventEncodingError) -> [UInt8]
    /// A payload from JSON bytes.
    static func decodeJSON(_ bytes: [UInt8]) throws(EventDecodingError) -> Self
}

extension EventPayload {
    public var destinationTopic: String { Self.topic }
    public var defaultSubject: String? { nil }

    public func encodeJSON() throws(EventEncodingError) -> [UInt8] {
        try PayloadJSON.encode(self)
    }

    public static func decodeJSON(_ bytes: [UInt8]) throws(EventDecodingError) -> Self {
        try PayloadJSON.decode(Self.self, from: bytes)
    }
}

/// A payload carried on a compacted topic: the latest value per key is the entity's state, and a
/// tombstone (null value) deletes it.
public protocol SnapshotPayload: EventPayload {
    /// The entity id, which is also the Kafka key.
    var entityId: String { get }
}

extension SnapshotPayload {
    public var partitionKey: [UInt8]? { Array(entityId.utf8) }
}
