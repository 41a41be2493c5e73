import Foundation

/// Turns typed events into Kafka records (CloudEvents binary content mode) and structured JSON, and
/// back, with typed errors.
///
/// ```swift
/// let record = try EventCodec.encode(observation, source: "/city/ingest")
/// // record.topic, record.key, record.headers, record.value → the Kafka producer
/// let event = try EventCodec.decode(ObservationRecorded.self, headers: headers, value: value)
/// ```
public enum EventCodec {
    /// A new event id: a random (version 4) UUID in lowercase.
    public static func newEventID() -> String { RandomEventID.next() }

    /// Encodes a payload as a Kafka record for its destination topic, keyed by its partition key.
    /// `subject` defaults to the payload's ``EventPayload/defaultSubject``.
    public static func encode<Payload: EventPayload>(
        _ payload: Payload,
        id: String = newEventID(),
        source: String,
        subject: String? = nil,
        time: Timestamp = .now(),
        traceparent: String? = nil
    ) throws(EventEncodingError) -> KafkaRecord {
        try record(payload, id: id, source: source, time: time, subject: subject ?? payload.defaultSubject, traceparent: traceparent)
    }

    /// Encodes a typed event as a Kafka record (binary content mode).
    public static func encode<Payload: EventPayload>(_ event: Event<Payload>) throws(EventEncodingError) -> KafkaRecord {
        try record(of: event)
    }

    /// The record of ``encode(_:)``: headers written straight from the event's attributes, without
    /// an intermediate ``CloudEvent``; the same record as `cloudEvent(event).kafkaHeaders()` + data.
    static func record<Payload: EventPayload>(of event: Event<Payload>) throws(EventEncodingError) -> KafkaRecord {
        try record(
            event.payload, id: event.id, source: event.source, time: event.time, subject: event.subject,
            traceparent: event.traceparent
        )
    }

    /// ``record(of:)`` from the event's parts, so that encoding a payload does not copy it into an
    /// ``Event`` first.
    @inline(__always)
    static func record<Payload: EventPayload>(
        _ payload: Payload, id: String, source: String, time: Timestamp, subject: String?, traceparent: String?
    ) throws(EventEncodingError) -> KafkaRecord {
        var uncached = UTF8BytesCache(capacity: 0)
        return try record(
            payload, idBytes: UTF8Text.bytes(id), source: source, time: time, subject: subject, traceparent: traceparent,
            key: payload.partitionKey, cache: &uncached
        )
    }

    /// The record of a payload with the given attributes (the id as UTF-8 bytes) and key; `cache` gives
    /// the bytes of `source` and `subject` (see ``EventEncoder``), `timeBytes` those of `time` when known.
    @inline(__always)
    static func record<Payload: EventPayload>(
        _ payload: Payload, idBytes: [UInt8], source: String, time: Timestamp, subject: String?, traceparent: String?,
        key: [UInt8]?, cache: inout UTF8BytesCache, timeBytes: [UInt8]? = nil
    ) throws(EventEncodingError) -> KafkaRecord {
        guard !idBytes.isEmpty else { throw .invalidAttribute(name: "id", reason: "must not be empty") }
        guard !source.isEmpty else { throw .invalidAttribute(name: "source", reason: "must not be empty") }
        let data = try payload.encodeJSON()
        return KafkaRecord(
            topic: payload.destinationTopic,
            key: key,
            headers: CloudEvent.kafkaHeaders(
                idBytes: idBytes, sourceBytes: cache.bytes(source), typeBytes: HeaderConstants.typeBytes(Payload.eventType),
                timeBytes: timeBytes ?? time.rfc3339Bytes, subjectBytes: subject.map { cache.bytes($0) }, dataContentType: EventMediaType.json,
                traceparent: traceparent
            ),
            value: data
        )
    }

    @inline(__always)
    private static func checkAttributes(id: String, source: String) throws(EventEncodingError) {
        guard !id.isEmpty else { throw .invalidAttribute(name: "id", reason: "must not be empty") }
        guard !source.isEmpty else { throw .invalidAttribute(name: "source", reason: "must not be empty") }
    }

    /// The untyped envelope of a typed event, with its data encoded.
    public static func cloudEvent<Payload: EventPayload>(_ event: Event<Payload>) throws(EventEncodingError) -> CloudEvent {
        try checkAttributes(id: event.id, source: event.source)
        return CloudEvent(
            id: event.id,
            source: event.source,
            type: Payload.eventType,
            time: event.time,
            subject: event.subject,
            dataContentType: EventMediaType.json,
            traceparent: event.traceparent,
            data: try event.payload.encodeJSON()
        )
    }

    /// Decodes a Kafka record (binary content mode) as an event of the given payload type.
    public static func decode<Payload: EventPayload>(
        _ type: Payload.Type,
        headers: [EventHeader],
        value: [UInt8]?
    ) throws(EventDecodingError) -> Event<Payload> {
        var decoder = EventDecoder(capacity: 0)
        return try decoder.decode(type, headers: headers, value: value)
    }

    /// Decodes a Kafka record (binary content mode) as an event of the given payload type.
    public static func decode<Payload: EventPayload>(_ type: Payload.Type, record: KafkaRecord) throws(EventDecodingError) -> Event<Payload> {
        try decode(type, headers: record.headers, value: record.value)
    }

    /// The typed event inside an envelope: checks the type and decodes the data.
    public static func event<Payload: EventPayload>(_ type: Payload.Type, from envelope: CloudEvent) throws(EventDecodingError) -> Event<Payload> {
        guard envelope.type == Payload.eventType else {
            if EventType.isKnown(envelope.type) {
                throw .unexpectedEventType(expected: Payload.eventType, actual: envelope.type)
            }
            throw .unknownEventType(envelope.type)
        }
        guard let data = envelope.data else { throw .missingData(eventType: envelope.type) }
        return Event(
            id: envelope.id,
            source: envelope.source,
            time: envelope.time,
            subject: envelope.subject,
            traceparent: envelope.traceparent,
            payload: try Payload.decodeJSON(data)
        )
    }

    /// The event in the CloudEvents JSON format (`application/cloudevents+json`), e.g. a webhook body.
    public static func structuredJSON<Payload: EventPayload>(_ event: Event<Payload>) throws(EventEncodingError) -> [UInt8] {
        try cloudEvent(event).structuredJSON()
    }

    /// Decodes an event in the CloudEvents JSON format as an event of the given payload type.
    public static func decodeStructured<Payload: EventPayload>(_ type: Payload.Type, json: [UInt8]) throws(EventDecodingError) -> Event<Payload> {
        try event(type, from: CloudEvent(structuredJSON: json))
    }

    /// Decodes a record of a compacted topic: a tombstone (null value) deletes the entity named by the
    /// key; anything else is the entity's new state.
    public static func decodeSnapshot<Payload: SnapshotPayload>(
        _ type: Payload.Type,
        key: [UInt8]?,
        headers: [EventHeader],
        value: [UInt8]?
    ) throws(EventDecodingError) -> SnapshotChange<Payload> {
        guard value != nil else {
            guard let key else { throw .malformedKey(reason: "a tombstone needs the entity id as its key, but the key is null") }
            guard let id = UTF8Text.decode(key), !id.isEmpty else {
                throw .malformedKey(reason: "a tombstone key must be a non-empty UTF-8 entity id")
            }
            return .deleted(entityId: id)
        }
        return .upsert(try decode(type, headers: headers, value: value))
    }

    /// The tombstone that deletes an entity from its compacted topic: key = entity id, value null,
    /// no headers.
    public static func tombstone<Payload: SnapshotPayload>(for type: Payload.Type, entityId: String) -> KafkaRecord {
        KafkaRecord(topic: Payload.topic, key: Array(entityId.utf8), headers: [], value: nil)
    }
}
