import CityEvents
import Foundation
import Testing

@Suite("CloudEvents envelope")
struct EnvelopeTests {
    func sampleRecord() throws -> KafkaRecord {
        try EventCodec.encode(
            Samples.observation, id: Samples.eventID, source: "/city/ingest", time: Samples.eventTime,
            traceparent: Samples.traceparent
        )
    }

    @Test("binary mode writes exactly the PLATFORM.md headers, key and value")
    func binaryModeHeaders() throws {
        let record = try sampleRecord()
        #expect(record.topic == "city.observations.v1")
        #expect(record.keyText == "hanoi-city")
        let headers = record.headers.map { "\($0.name)=\($0.text ?? "?")" }
        #expect(headers == [
            "ce_specversion=1.0",
            "ce_id=\(Samples.eventID)",
            "ce_source=/city/ingest",
            "ce_type=vn.citydata.observation.recorded.v1",
            "ce_time=2025-03-01T00:01:20.125+07:00",
            "ce_subject=hanoi-air-quality",
            "content-type=application/json",
            "traceparent=\(Samples.traceparent)",
        ])
        let value = try #require(record.value)
        #expect(value.first == UInt8(ascii: "{"))
    }

    @Test("binary mode round trip")
    func binaryRoundTrip() throws {
        let record = try sampleRecord()
        let event = try EventCodec.decode(ObservationRecorded.self, record: record)
        #expect(event.payload == Samples.observation)
        #expect(event.id == Samples.eventID)
        #expect(event.source == "/city/ingest")
        #expect(event.time == Samples.eventTime)
        #expect(event.subject == "hanoi-air-quality")
        #expect(event.traceparent == Samples.traceparent)
        #expect(try EventCodec.encode(event) == record)
    }

    @Test("optional headers are omitted and accepted when absent")
    func optionalHeaders() throws {
        let record = try EventCodec.encode(Samples.grant, id: "e1", source: "/city/catalog", subject: nil, time: Samples.eventTime)
        #expect(!record.headers.contains { $0.name == "traceparent" })
        let event = try EventCodec.decode(GrantSnapshot.self, record: record)
        #expect(event.traceparent == nil)
        #expect(event.subject == "hanoi-air-quality")  // default subject
    }

    @Test("structured mode round trip and shape")
    func structuredRoundTrip() throws {
        let event = try EventCodec.decode(IndicatorAlert.self, record: EventCodec.encode(
            Samples.alert, id: Samples.eventID, source: "/city/indicators", time: Samples.eventTime,
            traceparent: Samples.traceparent
        ))
        let json = try EventCodec.structuredJSON(event)
        let object = try PayloadJSON.decode(JSONValue.self, from: json)
        guard case .object(let members) = object else {
            Issue.record("not an object")
            return
        }
        #expect(members["specversion"] == .string("1.0"))
        #expect(members["type"] == .string(EventType.indicatorAlert))
        #expect(members["datacontenttype"] == .string("application/json"))
        #expect(members["time"] == .string("2025-03-01T00:01:20.125+07:00"))
        if case .object(let data)? = members["data"] {
            #expect(data["kind"] == .string("raised"))
        } else {
            Issue.record("data is not inline JSON")
        }
        let decoded = try EventCodec.decodeStructured(IndicatorAlert.self, json: json)
        #expect(decoded == event)
    }

    @Test("structured mode accepts data_base64, unknown extensions and whitespace")
    func structuredVariants() throws {
        let data = try Samples.grant.encodeJSON()
        let base64 = Data(data).base64EncodedString()
        let json = """
            { "specversion" : "1.0", "id": "x1", "source": "/elsewhere", "type": "\(EventType.grantUpdated)",
              "time": "2025-03-01T00:00:00Z", "comexampleextension": {"nested": [1, 2]}, "data_base64": "\(base64)" }
            """
        let event = try EventCodec.decodeStructured(GrantSnapshot.self, json: Array(json.utf8))
        #expect(event.payload == Samples.grant)
        #expect(event.subject == nil)
    }

    @Test("untyped envelope converts between modes")
    func untypedModes() throws {
        let record = try sampleRecord()
        let envelope = try CloudEvent(kafkaHeaders: record.headers, value: record.value)
        let structured = try CloudEvent(structuredJSON: envelope.structuredJSON())
        #expect(structured.id == envelope.id)
        #expect(structured.type == envelope.type)
        #expect(structured.time == envelope.time)
        #expect(structured.traceparent == envelope.traceparent)
        #expect(try ObservationRecorded.decodeJSON(try #require(structured.data)) == Samples.observation)
    }

    @Test("ce_traceparent from SDKs is accepted; malformed traceparent is dropped")
    func traceparentVariants() throws {
        var headers = try sampleRecord().headers.filter { $0.name != "traceparent" }
        headers.append(EventHeader(name: "ce_traceparent", text: Samples.traceparent))
        let event = try EventCodec.decode(ObservationRecorded.self, headers: headers, value: try sampleRecord().value)
        #expect(event.traceparent == Samples.traceparent)
        headers.removeLast()
        headers.append(EventHeader(name: "traceparent", text: "garbage"))
        let other = try EventCodec.decode(ObservationRecorded.self, headers: headers, value: try sampleRecord().value)
        #expect(other.traceparent == nil)
    }

    @Test("snapshots and tombstones")
    func snapshotChanges() throws {
        let record = try EventCodec.encode(Samples.dataset, source: "/city/catalog")
        #expect(record.keyText == "hanoi-air-quality")
        let change = try EventCodec.decodeSnapshot(DatasetSnapshot.self, key: record.key, headers: record.headers, value: record.value)
        #expect(change.entityId == "hanoi-air-quality")
        if case .upsert(let event) = change { #expect(event.payload == Samples.dataset) } else { Issue.record("not an upsert") }

        let tombstone = EventCodec.tombstone(for: DatasetSnapshot.self, entityId: "hanoi-air-quality")
        #expect(tombstone.topic == "city.catalog.datasets.v1")
        #expect(tombstone.value == nil && tombstone.isTombstone)
        let deletion = try EventCodec.decodeSnapshot(DatasetSnapshot.self, key: tombstone.key, headers: [], value: nil)
        #expect(deletion == .deleted(entityId: "hanoi-air-quality"))
        #expect(Tombstone(record: tombstone) == Tombstone(entity: .dataset, entityId: "hanoi-air-quality"))
        #expect(Tombstone(record: KafkaRecord(topic: TopicName.observations, key: [0x61], headers: [], value: nil)) == nil)
        #expect(throws: EventDecodingError.malformedKey(reason: "a tombstone needs the entity id as its key, but the key is null")) {
            try EventCodec.decodeSnapshot(DatasetSnapshot.self, key: nil, headers: [], value: nil)
        }
    }

    @Test("dead letters go to <topic>.dlq under the original key and can be redriven")
    func deadLetters() throws {
        let original = try sampleRecord()
        let letter = DeadLetterRecord(
            failed: original, partition: 3, offset: 42, error: "boom", consumerGroup: "indicators",
            failedAt: Samples.eventTime, attempts: 2
        )
        let record = try EventCodec.encode(letter, source: "/city/indicators")
        #expect(record.topic == "city.observations.v1.dlq")
        #expect(record.key == original.key)
        let decoded = try EventCodec.decode(DeadLetterRecord.self, record: record)
        #expect(decoded.payload.originalRecord == original)
        let binary = ByteString([0xFF, 0xFE])
        #expect(binary.encoding == .base64)
        #expect(binary.bytes == [0xFF, 0xFE])
    }

    @Test("event ids are lowercase UUIDs")
    func eventIDs() {
        let id = EventCodec.newEventID()
        #expect(UUID(uuidString: id) != nil)
        #expect(id == id.lowercased())
    }
}
