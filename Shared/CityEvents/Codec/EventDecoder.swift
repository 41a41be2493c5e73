/// Decodes Kafka records (CloudEvents binary mode) into typed events for one consumer, reusing the
/// strings that repeat between records.
///
/// Keep one per consumer (or per partition worker) and call it for each record:
///
/// ```swift
/// var decoder = EventDecoder()
/// for record in batch {
///     let event = try decoder.decode(ObservationRecorded.self, headers: record.headers, value: record.value)
/// }
/// ```
///
/// The result, and every error, is exactly that of ``EventCodec/decode(_:headers:value:)``; the
/// decoder only makes the common record cheaper. It keeps a bounded cache of the values that recur
/// from record to record — `ce_source`, `ce_subject`, and an observation's dataset, agency and source
/// ids and area code — so that a repeated value is shared instead of validated and allocated again.
/// The cache has a fixed number of slots (``defaultCapacity`` unless told), each for one string of at
/// most 64 UTF-8 bytes, a new string replacing the one in its slot: its memory is bounded whatever
/// the records (by default about 96 KiB allocated when the decoder is made, plus at most one cached
/// string per slot), so make one per consumer rather than one per record. Unique values (`ce_id`, the
/// observation id) are never cached. It is a value type: give each task its own rather than sharing one.
public struct EventDecoder: Sendable {
    /// The number of cached strings by default.
    public static let defaultCapacity = 1024

    private var interner: StringInterner

    /// A decoder caching up to `capacity` recurring strings (rounded up to a power of two, at most
    /// 65,536); `0` caches nothing.
    public init(capacity: Int = EventDecoder.defaultCapacity) {
        interner = StringInterner(capacity: max(0, capacity))
    }

    /// Decodes an observation record; the same result as
    /// ``EventCodec/decode(_:headers:value:)-(ObservationRecorded.Type,_,_)``.
    public mutating func decode(
        _ type: ObservationRecorded.Type, headers: [EventHeader], value: [UInt8]?
    ) throws(EventDecodingError) -> Event<ObservationRecorded> {
        try decode(type, headers: headers, value: value) { bytes, interner throws(EventDecodingError) in
            if let decoded = ObservationFastCodec.decode(bytes, interning: &interner) { return decoded }
            return try PayloadJSON.decode(ObservationRecorded.self, from: bytes)  // names the problem
        }
    }

    /// Decodes a record as an event of the given payload type (only the envelope's strings are
    /// cached for payload types other than ``ObservationRecorded``); the same result as
    /// ``EventCodec/decode(_:headers:value:)``.
    public mutating func decode<Payload: EventPayload>(
        _ type: Payload.Type, headers: [EventHeader], value: [UInt8]?
    ) throws(EventDecodingError) -> Event<Payload> {
        try decode(type, headers: headers, value: value) { bytes, _ throws(EventDecodingError) in
            try Payload.decodeJSON(bytes)
        }
    }

    /// Decodes a record as an event of the given payload type.
    public mutating func decode<Payload: EventPayload>(_ type: Payload.Type, record: KafkaRecord) throws(EventDecodingError) -> Event<Payload> {
        try decode(type, headers: record.headers, value: record.value)
    }

    /// The typed event read straight from the headers and value, without an intermediate
    /// ``CloudEvent``, when the headers have the common shape and the type is `Payload`'s; anything
    /// else goes through ``EventCodec/event(_:from:)`` and the full header reader, which decode it or
    /// give the error.
    @inline(__always)
    private mutating func decode<Payload: EventPayload>(
        _ type: Payload.Type, headers: [EventHeader], value: [UInt8]?,
        payload decodePayload: ([UInt8], inout StringInterner) throws(EventDecodingError) -> Payload
    ) throws(EventDecodingError) -> Event<Payload> {
        guard let value, let common = CommonBinaryHeaders(headers, hasValue: true),
            Self.isType(Payload.eventType, headers[common.type].value),
            let id = headers[common.id].text, !id.isEmpty,
            let source = interner.string(headers[common.source].value), !source.isEmpty,
            let time = headers[common.time].value.withUnsafeBufferPointer({ RFC3339.parseCommon($0) })
        else {
            return try EventCodec.event(type, from: CloudEvent(kafkaHeaders: headers, value: value))
        }
        var subject: String?
        if common.subject >= 0 {
            guard let text = interner.string(headers[common.subject].value) else {
                return try EventCodec.event(type, from: CloudEvent(kafkaHeaders: headers, value: value))
            }
            subject = text
        }
        var traceparent: String?
        if common.traceparent >= 0 {
            guard let text = headers[common.traceparent].text else {
                return try EventCodec.event(type, from: CloudEvent(kafkaHeaders: headers, value: value))
            }
            traceparent = TraceContext.validTraceparent(text)
        }
        return Event(
            id: id, source: source, time: time, subject: subject, traceparent: traceparent,
            payload: try decodePayload(value, &interner)
        )
    }

    /// Whether the `ce_type` bytes spell `type`.
    @inline(__always)
    private static func isType(_ type: String, _ bytes: [UInt8]) -> Bool {
        var expected = type
        return expected.withUTF8 { expected in
            bytes.withUnsafeBufferPointer { KnownStrings.memoryEqual(expected, $0) }
        }
    }
}
