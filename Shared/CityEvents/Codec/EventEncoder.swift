/// Encodes typed events as Kafka records (CloudEvents binary mode) for one producer, sharing the
/// header bytes of the values that repeat between records.
///
/// Keep one per producer (or per task that produces) and call it for each record:
///
/// ```swift
/// var encoder = EventEncoder()
/// for observation in observations {
///     outgoing.append(try encoder.encode(observation, source: "/city/ingest"))
/// }
/// ```
///
/// The records are exactly those of ``EventCodec/encode(_:id:source:subject:time:traceparent:)``
/// (`==`); the encoder only keeps a bounded cache of the UTF-8 bytes of `ce_source`, `ce_subject`
/// and, for observations, the key (the source id), so that a repeated value shares one array
/// instead of being copied into a new one. The cache has a fixed number of slots
/// (256 unless told), each for one value of at most 64 bytes, a new value replacing
/// the one in its slot: its memory is fixed when the encoder is made. It also keeps the text of the
/// last `ce_time`, for records encoded with the same time. It is a value type: give each
/// task its own rather than sharing one.
public struct EventEncoder: Sendable {
    private var cache: UTF8BytesCache
    /// The last `ce_time` written and its text, shared by the records of one instant.
    private var lastTime: Timestamp?
    private var lastTimeBytes: [UInt8] = []

    /// An encoder caching up to `capacity` repeated values (256 by default; rounded up to a power of
    /// two, at most 65,536); `0` caches nothing.
    public init(capacity: Int = 256) {
        cache = UTF8BytesCache(capacity: capacity)
    }

    /// Encodes an observation (`id` `nil`: a new random id); the same record as
    /// ``EventCodec/encode(_:id:source:subject:time:traceparent:)-(ObservationRecorded,_,_,_,_,_)``.
    public mutating func encode(
        _ payload: ObservationRecorded, id: String? = nil, source: String, subject: String? = nil,
        time: Timestamp = .now(), traceparent: String? = nil
    ) throws(EventEncodingError) -> KafkaRecord {
        let key = cache.bytes(payload.sourceId)  // == payload.partitionKey
        return try EventCodec.record(
            payload, idBytes: Self.idBytes(id), source: source, time: time, subject: subject ?? payload.defaultSubject,
            traceparent: traceparent, key: key, cache: &cache, timeBytes: timeBytes(time)
        )
    }

    /// Encodes a payload (`id` `nil`: a new random id); the same record as
    /// ``EventCodec/encode(_:id:source:subject:time:traceparent:)``.
    public mutating func encode<Payload: EventPayload>(
        _ payload: Payload, id: String? = nil, source: String, subject: String? = nil,
        time: Timestamp = .now(), traceparent: String? = nil
    ) throws(EventEncodingError) -> KafkaRecord {
        try EventCodec.record(
            payload, idBytes: Self.idBytes(id), source: source, time: time, subject: subject ?? payload.defaultSubject,
            traceparent: traceparent, key: payload.partitionKey, cache: &cache, timeBytes: timeBytes(time)
        )
    }

    /// Encodes a typed event; the same record as ``EventCodec/encode(_:)``.
    public mutating func encode<Payload: EventPayload>(_ event: Event<Payload>) throws(EventEncodingError) -> KafkaRecord {
        try EventCodec.record(
            event.payload, idBytes: UTF8Text.bytes(event.id), source: event.source, time: event.time, subject: event.subject,
            traceparent: event.traceparent, key: event.payload.partitionKey, cache: &cache, timeBytes: timeBytes(event.time)
        )
    }

    /// The bytes of `id`, or of a new random id (made as bytes: no `String`) when `nil`.
    private static func idBytes(_ id: String?) -> [UInt8] {
        id.map(UTF8Text.bytes) ?? RandomEventID.nextBytes()
    }

    /// The RFC 3339 bytes of `time`, shared with the previous record's when it is the same instant
    /// with the same offset (e.g. records stamped with the time their upload chunk arrived).
    private mutating func timeBytes(_ time: Timestamp) -> [UInt8] {
        if time != lastTime {
            lastTime = time
            lastTimeBytes = time.rfc3339Bytes
        }
        return lastTimeBytes
    }
}
