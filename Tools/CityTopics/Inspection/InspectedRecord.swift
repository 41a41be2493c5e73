import CityEvents
import CityKafka

/// A consumed record as the tool shows it: where it sits, its key and headers, and either the
/// decoded CloudEvent or — never skipped — the raw value with the reason it does not decode.
struct InspectedRecord: Encodable, Sendable {
    /// A header; the value as text when UTF-8, else base64 (`null` for a header without value).
    struct Header: Encodable, Sendable {
        var name: String
        @Nullable var value: ByteString? = nil
    }

    /// The CloudEvent context attributes and its data.
    struct EventView: Encodable, Sendable {
        var id: String
        var source: String
        var type: String
        var time: String
        @Nullable var subject: String? = nil
        @Nullable var traceparent: String? = nil
        @Nullable var data: JSONValue? = nil
    }

    var topic: String
    var partition: Int32
    var offset: Int64
    /// The record timestamp (RFC 3339, UTC), when the broker has one.
    @Nullable var timestamp: String? = nil
    @Nullable var key: ByteString? = nil
    var headers: [Header]
    var tombstone: Bool
    @Nullable var event: EventView? = nil
    /// Why the record is not a valid CityData event; `nil` when it is (or is a tombstone).
    @Nullable var error: String? = nil
    /// The value as read, for records that do not decode.
    @Nullable var raw: ByteString? = nil

    init(_ record: KafkaConsumerRecord) {
        topic = record.topic
        partition = record.partition
        offset = record.offset
        timestamp = record.timestampMilliseconds.map(TimeArgument.rfc3339)
        key = record.key.map(ByteString.init)
        headers = record.headers.map { Header(name: $0.name, value: $0.value.map(ByteString.init)) }
        tombstone = record.value == nil
        guard let value = record.value else { return }
        do throws(EventDecodingError) {
            let envelope = try CloudEvent(kafkaHeaders: record.eventHeaders, value: value)
            _ = try PayloadCatalog.validate(envelope)
            var data: JSONValue?
            if let bytes = envelope.data { data = try PayloadJSON.decode(JSONValue.self, from: bytes) }
            event = EventView(
                id: envelope.id, source: envelope.source, type: envelope.type, time: envelope.time.rfc3339,
                subject: envelope.subject, traceparent: envelope.traceparent, data: data
            )
        } catch {
            self.error = error.description
            raw = ByteString(value)
        }
    }
}

extension KafkaConsumerRecord {
    /// The headers as the message-schema module reads them (a header without value as empty bytes).
    var eventHeaders: [EventHeader] { headers.map { EventHeader(name: $0.name, value: $0.value ?? []) } }

    /// The record as the message-schema module sees it.
    var eventRecord: KafkaRecord { KafkaRecord(topic: topic, key: key, headers: eventHeaders, value: value) }
}

extension KafkaRecord {
    /// The record to send to `topic` (its own topic by default), with `extraHeaders` appended.
    func producerRecord(to destination: String? = nil, extraHeaders: [KafkaHeader] = []) -> KafkaProducerRecord {
        KafkaProducerRecord(
            topic: destination ?? topic, key: key, value: value,
            headers: headers.map { KafkaHeader(name: $0.name, value: $0.value) } + extraHeaders
        )
    }
}

extension ByteString {
    /// The bytes for a person: text as is, base64 marked as such.
    var display: String { encoding == .utf8 ? data : "base64:" + data }
}
