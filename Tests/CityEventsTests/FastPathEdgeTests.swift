import CityEvents
import Foundation
import Testing

/// The fast paths added on 2026-11-27 (second pass): the exact-layout number reader, the shared unit
/// of consecutive measurements, the writer's stack buffer (and its retry when the JSON does not fit)
/// and the table-driven digits of numbers and timestamps. Each is compared with the reference.
@Suite("Observation fast paths: numbers, units, stack buffer, timestamps")
struct FastPathEdgeTests {
    let record = Samples.observationRecord

    /// Every decoder (cached, uncached, `EventCodec`) agrees with the reference on `value`.
    func expectAgreement(_ value: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        var decoder = EventDecoder()
        EventDecoderTests().expectAgreement(&decoder, headers: record.headers, value: value, sourceLocation: sourceLocation)
    }

    @Test("numbers in the encoder's layout read exactly as the reference reads them, or fall back")
    func layoutNumbers() throws {
        let text = String(decoding: try #require(record.value), as: UTF8.self)
        let numbers = [
            "0", "-0", "0.5", "-0.5", "0.0285", "-0.0285", "7", "70", "70.50", "123456789012345", "1234567890123456",
            "12345678.1234567", "1234567.12345678", "0.000000000000001", "0.0000000000000001", "9007199254740993",
            "1.", "-", "--1", "01", "-01", "00.5", ".5", "1e5", "1E5", "1.5e-3", "1.5E+3", "1.2.3", "+1", "0x10",
            "99999999999999999999", "5e", "5.e1", "1.7976931348623157e308",
        ]
        for number in numbers {
            expectAgreement(Array(text.replacingOccurrences(of: "70.5", with: number).utf8))
            expectAgreement(Array(text.replacingOccurrences(of: "21.0285", with: number).utf8))
            expectAgreement(Array(text.replacingOccurrences(of: "105.8542", with: number).utf8))
        }
    }

    @Test("every number the encoder writes reads back exactly through the layout path")
    func numbersRoundTrip() throws {
        var generator = DecodingErrorTests.SeededGenerator(state: 3_021_127)
        var decoder = EventDecoder()
        for round in 0..<400 {
            var payload = Samples.observation
            let scale = [1.0, 10, 100, 1_000, 1e6, 1e-3, 1e9, 1e14][round % 8]
            for index in payload.measurements.indices {
                let raw = Double.random(in: -1_000...1_000, using: &generator) * scale
                payload.measurements[index].value = round % 3 == 0 ? (raw * 10).rounded() / 10 : raw
            }
            payload.location = GeoLocation(lat: Double.random(in: -90...90, using: &generator), lon: (Double(round) - 200) / 7)
            let record = try EventCodec.encode(payload, id: Samples.eventID, source: "/s", time: Samples.eventTime)
            #expect(record.value == (try PayloadJSON.encode(payload)))
            #expect(try decoder.decode(ObservationRecorded.self, headers: record.headers, value: record.value).payload == payload)
        }
    }

    @Test("units shared by consecutive measurements, or not, decode like the reference")
    func sharedUnits() throws {
        var payload = Samples.observation
        let units = ["µg/m³", "mg/m³", "µg/m³", "µg/m³", "ppb", "a-unit-nobody-knows-of"]
        for index in payload.measurements.indices { payload.measurements[index].unit = units[index % units.count] }
        let record = try EventCodec.encode(payload, id: Samples.eventID, source: "/s", time: Samples.eventTime)
        var decoder = EventDecoder()
        #expect(try decoder.decode(ObservationRecorded.self, headers: record.headers, value: record.value).payload == payload)
        let text = String(decoding: try #require(record.value), as: UTF8.self)
        // The same unit spelled with an escape, a look-alike of another length, and invalid UTF-8.
        expectAgreement(Array(text.replacingOccurrences(of: "\"mg/m³\"", with: "\"\\u00b5g/m³\"").utf8))
        expectAgreement(Array(text.replacingOccurrences(of: "\"ppb\"", with: "\"µg/m³ \"").utf8))
        var bytes = Array(text.utf8)
        if let index = bytes.indices.last(where: { bytes[$0] == 0xB5 }) {  // inside the last "µg/m³"
            bytes[index] = 0xFF
            expectAgreement(bytes)
        }
    }

    @Test("JSON around and beyond the writer's stack buffer is written exactly like the reference")
    func stackBufferBoundary() throws {
        var decoder = EventDecoder()
        for length in stride(from: 380, through: 520, by: 1) {
            var payload = Samples.observation
            payload.agencyId = String(repeating: "a", count: length)  // crosses 1,024 bytes of JSON
            if length % 7 == 0 { payload.sourceId = String(repeating: "\"", count: 30) }  // escapes grow the output
            let fast = try payload.encodeJSON()
            #expect(fast == (try PayloadJSON.encode(payload)), "length \(length)")
            #expect(try ObservationRecorded.decodeJSON(fast) == payload)
            let record = try EventCodec.encode(payload, id: Samples.eventID, source: "/s", time: Samples.eventTime)
            #expect(try decoder.decode(ObservationRecorded.self, headers: record.headers, value: record.value).payload == payload)
        }
        var many = Samples.observation
        many.measurements = (0..<200).map { ObservationMeasurement(quantity: "q\($0)", value: Double($0) / 8, unit: "µg/m³") }
        #expect(try many.encodeJSON() == (try PayloadJSON.encode(many)))
    }

    @Test("the measurements alone are the bytes the payload carries for them, short or past the stack buffer")
    func measurementsJSON() throws {
        for count in [0, 1, 6, 200] {
            var payload = Samples.observation
            payload.measurements = (0..<count).map { ObservationMeasurement(quantity: "q\($0)\"", value: Double($0) / 8, unit: "µg/m³") }
            let whole = String(decoding: try PayloadJSON.encode(payload), as: UTF8.self)
            let alone = String(decoding: try payload.measurementsJSON(), as: UTF8.self)
            #expect(whole.contains("\"measurements\":\(alone),"), "\(count) measurements")
        }
        var infinite = Samples.observation
        infinite.measurements = [ObservationMeasurement(quantity: "pm25", value: .infinity, unit: "µg/m³")]
        #expect(throws: EventEncodingError.nonFiniteNumber(path: "measurements[0].value")) { try infinite.measurementsJSON() }
    }

    @Test("timestamps are written digit for digit as before", arguments: [
        ("2025-03-01T00:01:17.669055+07:00", "2025-03-01T00:01:17.669055+07:00"),
        ("2025-03-01T00:01:17.000000001Z", "2025-03-01T00:01:17.000000001Z"),
        ("2025-03-01T00:01:17.999999999-09:30", "2025-03-01T00:01:17.999999999-09:30"),
        ("2025-03-01T00:01:17.1Z", "2025-03-01T00:01:17.1Z"),
        ("2025-03-01T00:01:17.120000Z", "2025-03-01T00:01:17.12Z"),
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
        ("9999-12-31T23:59:59.5+23:59", "9999-12-31T23:59:59.5+23:59"),
        ("2024-02-29T12:34:56.78z", "2024-02-29T12:34:56.78Z"),
    ])
    func timestampText(input: String, expected: String) throws {
        let timestamp = try #require(Timestamp(rfc3339: input))
        #expect(timestamp.rfc3339 == expected)
        #expect(timestamp.rfc3339Bytes == Array(expected.utf8))
    }

    @Test("fields set out of range are written as before (no table read outside its bounds)")
    func outOfRangeFields() {
        var timestamp = Timestamp(secondsSinceEpoch: 0)
        timestamp.utcOffsetMinutes = 6_000  // 100 hours: beyond two digits
        timestamp.secondsSinceEpoch = -6_000 * 60
        #expect(timestamp.rfc3339 == "1970-01-01T00:00:00+:0:00")
        timestamp.nanoseconds = 1_500_000_000  // more than a second: its last nine digits, as before
        #expect(timestamp.rfc3339 == "1970-01-01T00:00:00.5+:0:00")
    }
}
