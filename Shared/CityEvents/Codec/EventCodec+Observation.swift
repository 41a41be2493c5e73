/// Concrete overloads of ``EventCodec`` for ``ObservationRecorded``, the high-volume event: they
/// forward to the generic implementation, but being non-generic, calls from other modules are
/// compiled for the concrete type instead of resolving generic metadata at run time.
extension EventCodec {
    /// ``encode(_:id:source:subject:time:traceparent:)`` for observations.
    public static func encode(
        _ payload: ObservationRecorded, id: String = newEventID(), source: String, subject: String? = nil,
        time: Timestamp = .now(), traceparent: String? = nil
    ) throws(EventEncodingError) -> KafkaRecord {
        try record(payload, id: id, source: source, time: time, subject: subject ?? payload.defaultSubject, traceparent: traceparent)
    }

    /// ``decode(_:headers:value:)`` for observations.
    public static func decode(
        _ type: ObservationRecorded.Type, headers: [EventHeader], value: [UInt8]?
    ) throws(EventDecodingError) -> Event<ObservationRecorded> {
        var decoder = EventDecoder(capacity: 0)
        return try decoder.decode(type, headers: headers, value: value)
    }
}
