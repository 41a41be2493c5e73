import CityEvents
import Foundation
import Testing

/// Every malformed input gives a typed error with a precise one-line description.
@Suite("Decoding never traps")
struct DecodingErrorTests {
    let record = Samples.observationRecord

    func headers(without name: String) -> [EventHeader] { record.headers.filter { $0.name != name } }

    func headers(replacing name: String, with value: [UInt8]) -> [EventHeader] {
        record.headers.map { $0.name == name ? EventHeader(name: name, value: value) : $0 }
    }

    func decodeError(headers: [EventHeader]? = nil, value: String?) -> EventDecodingError? {
        do {
            _ = try EventCodec.decode(ObservationRecorded.self, headers: headers ?? record.headers, value: value.map { Array($0.utf8) })
            return nil
        } catch {
            return error
        }
    }

    func decodeError(headers: [EventHeader]) -> EventDecodingError? {
        do {
            _ = try EventCodec.decode(ObservationRecorded.self, headers: headers, value: record.value)
            return nil
        } catch {
            return error
        }
    }

    func mutatedData(_ change: (inout [String: JSONValue]) -> Void) throws -> String {
        guard case .object(var members) = try PayloadJSON.decode(JSONValue.self, from: try #require(record.value)) else {
            throw FixtureMissing(path: "object")
        }
        change(&members)
        return String(decoding: try PayloadJSON.encode(JSONValue.object(members)), as: UTF8.self)
    }

    @Test("missing headers", arguments: ["ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "content-type"])
    func missingHeader(name: String) {
        let error = decodeError(headers: headers(without: name))
        #expect(error == .missingHeader(name: name))
        #expect(error?.description == "missing Kafka header '\(name)'")
    }

    @Test("malformed headers")
    func malformedHeaders() {
        #expect(decodeError(headers: headers(replacing: "ce_specversion", with: Array("0.3".utf8))) == .unsupportedSpecVersion("0.3"))
        #expect(decodeError(headers: headers(replacing: "ce_id", with: [])) == .malformedHeader(name: "ce_id", reason: "value is empty"))
        #expect(decodeError(headers: headers(replacing: "ce_source", with: [0xC3, 0x28])) == .malformedHeader(name: "ce_source", reason: "value is not valid UTF-8"))
        let time = decodeError(headers: headers(replacing: "ce_time", with: Array("2025-03-01T00:01:20".utf8)))
        #expect(time?.description.hasPrefix("malformed Kafka header 'ce_time': \"2025-03-01T00:01:20\" is not an RFC 3339 date-time with offset") == true)
        #expect(decodeError(headers: headers(replacing: "content-type", with: Array("text/csv".utf8))) == .unsupportedContentType("text/csv"))
        var duplicated = record.headers
        duplicated.append(EventHeader(name: "ce_type", text: EventType.grantUpdated))
        #expect(decodeError(headers: duplicated) == .malformedHeader(name: "ce_type", reason: "appears more than once with different values"))
    }

    @Test("content-type parameters are accepted")
    func contentTypeParameters() {
        #expect(decodeError(headers: headers(replacing: "content-type", with: Array("Application/JSON; charset=utf-8".utf8))) == nil)
    }

    @Test("unknown and unexpected types")
    func types() {
        #expect(decodeError(headers: headers(replacing: "ce_type", with: Array("vn.citydata.weather.v9".utf8))) == .unknownEventType("vn.citydata.weather.v9"))
        #expect(decodeError(headers: headers(replacing: "ce_type", with: Array(EventType.grantUpdated.utf8)))
            == .unexpectedEventType(expected: EventType.observationRecorded, actual: EventType.grantUpdated))
    }

    @Test("null value")
    func nullValue() {
        #expect(decodeError(value: nil) == .missingData(eventType: EventType.observationRecorded))
    }

    @Test("invalid JSON", arguments: ["", "{", "not json", "[1,2]x", "{\"datasetId\": }"])
    func invalidJSON(text: String) {
        let error = decodeError(value: text)
        if case .invalidJSON? = error {} else if case .wrongFieldType? = error {} else {
            Issue.record("expected invalid JSON, got \(String(describing: error))")
        }
        #expect(error?.description.contains("\n") == false)
    }

    @Test("missing required field names the path")
    func missingField() throws {
        let text = try mutatedData { $0["sourceId"] = nil }
        #expect(decodeError(value: text) == .missingField(path: "sourceId"))
        let nested = try mutatedData { members in
            members["measurements"] = .array([.object(["quantity": .string("pm25"), "value": .number(1)])])
        }
        #expect(decodeError(value: nested) == .missingField(path: "measurements[0].unit"))
        #expect(decodeError(value: nested)?.description == "required field 'measurements[0].unit' is missing")
    }

    @Test("wrong field type names the path and the expected type")
    func wrongType() throws {
        let text = try mutatedData { $0["datasetId"] = .number(1) }
        #expect(decodeError(value: text) == .wrongFieldType(path: "datasetId", expected: "string"))
        let nested = try mutatedData { members in
            members["measurements"] = .array([.object(["quantity": .string("pm25"), "value": .string("31"), "unit": .string("x")])])
        }
        #expect(decodeError(value: nested) == .wrongFieldType(path: "measurements[0].value", expected: "number"))
        let notArray = try mutatedData { $0["measurements"] = .object([:]) }
        #expect(decodeError(value: notArray) == .wrongFieldType(path: "measurements", expected: "array"))
    }

    @Test("null required field")
    func nullField() throws {
        let text = try mutatedData { $0["agencyId"] = .null }
        #expect(decodeError(value: text) == .nullField(path: "agencyId"))
    }

    @Test("invalid field value")
    func invalidValue() throws {
        let text = try mutatedData { $0["observedAt"] = .string("yesterday") }
        guard case .invalidFieldValue(let path, let reason)? = decodeError(value: text) else {
            Issue.record("expected invalid field value")
            return
        }
        #expect(path == "observedAt")
        #expect(reason.contains("RFC 3339"))
        let grant = try EventCodec.encode(Samples.delivery, source: "/x")
        var value = String(decoding: try #require(grant.value), as: UTF8.self)
        value = value.replacingOccurrences(of: "dead-lettered", with: "exploded")
        #expect(throws: EventDecodingError.self) {
            try EventCodec.decode(DeliveryOutcome.self, headers: grant.headers, value: Array(value.utf8))
        }
    }

    @Test("extra unknown fields are ignored, at every level")
    func extraFields() throws {
        let text = try mutatedData { members in
            members["futureField"] = .object(["x": .array([.number(1), .null])])
            members["location"] = .object(["lat": .number(21), "lon": .number(105), "altitude": .number(12)])
        }
        let event = try EventCodec.decode(ObservationRecorded.self, headers: record.headers, value: Array(text.utf8))
        #expect(event.payload.location == GeoLocation(lat: 21, lon: 105))
        for fixtureCase in FixtureCatalog.cases {
            let produced = try fixtureCase.record()
            guard case .object(var members) = try PayloadJSON.decode(JSONValue.self, from: try #require(produced.value)) else { continue }
            members["zzNewerField"] = .string("from a v1.1 producer")
            #expect(fixtureCase.decodes(try PayloadJSON.encode(JSONValue.object(members))), "\(fixtureCase.name)")
        }
    }

    /// A deterministic generator (SplitMix64), so that a failing mutation can be reproduced.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var value = state
            value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
            value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
            return value ^ (value >> 31)
        }
    }

    @Test("random garbage never traps")
    func fuzz() {
        var generator = SeededGenerator(state: 20_250_401)
        let base = Array(record.value ?? [])
        for round in 0..<2_000 {
            var bytes = base
            let edits = Int.random(in: 1...4, using: &generator)
            for _ in 0..<edits where !bytes.isEmpty {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                switch round % 3 {
                case 0: bytes[index] = UInt8.random(in: 0...255, using: &generator)
                case 1: bytes.remove(at: index)
                default: bytes.insert(UInt8.random(in: 0x20...0x7E, using: &generator), at: index)
                }
            }
            do {
                _ = try EventCodec.decode(ObservationRecorded.self, headers: record.headers, value: bytes)
            } catch {
                #expect(!error.description.contains("\n"))
            }
            _ = try? CloudEvent(structuredJSON: bytes)
        }
    }

    @Test("structured-mode errors")
    func structuredErrors() {
        func error(_ json: String) -> EventDecodingError? {
            do {
                _ = try EventCodec.decodeStructured(GrantSnapshot.self, json: Array(json.utf8))
                return nil
            } catch {
                return error
            }
        }
        #expect(error("[]") == .invalidJSON(reason: "a structured CloudEvent must be a JSON object"))
        #expect(error(#"{"specversion":"1.0","id":"a","source":"/s","type":"t"}"#) == .missingAttribute(name: "time"))
        #expect(error(#"{"specversion":"1.0","id":1,"source":"/s","type":"t"}"#) == .malformedAttribute(name: "id", reason: "must be a JSON string"))
        #expect(error(#"{"specversion":"1.0","id":"a","source":"/s","type":"vn.citydata.grant.updated.v1","time":"2025-01-01T00:00:00Z"}"#)
            == .missingData(eventType: EventType.grantUpdated))
    }

    @Test("encoding refuses non-finite numbers with the field path")
    func nonFinite() {
        var payload = Samples.observation
        payload.measurements[1].value = .nan
        #expect(throws: EventEncodingError.nonFiniteNumber(path: "measurements[1].value")) {
            try EventCodec.encode(payload, source: "/city/ingest")
        }
        var indicator = Samples.indicator
        indicator.value = .infinity
        #expect(throws: EventEncodingError.nonFiniteNumber(path: "value")) {
            try EventCodec.encode(indicator, source: "/city/indicators")
        }
    }
}
