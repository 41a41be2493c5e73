import CityEvents
import Foundation
import Testing

@Suite("Payload JSON")
struct PayloadTests {
    static let awkwardNumbers: [Double] = [
        0.1 + 0.2, 1e-7, 123456.789, 0, -0.0, Double.leastNonzeroMagnitude, 1.7976931348623157e308, 2172.7, 1e21, 1.2345678901234568e17,
        -40, 0.000001, 9007199254740992, 31.0, 1 / 3,
    ]

    @Test("numbers survive a round trip exactly", arguments: awkwardNumbers)
    func numbers(value: Double) throws {
        var payload = Samples.observation
        payload.measurements = [ObservationMeasurement(quantity: "pm25", value: value, unit: "µg/m³")]
        payload.location = GeoLocation(lat: value, lon: -value)
        let bytes = try payload.encodeJSON()
        let decoded = try ObservationRecorded.decodeJSON(bytes)
        #expect(decoded.measurements[0].value.bitPattern == value.bitPattern || (value == 0 && decoded.measurements[0].value == 0))
        #expect(decoded.location?.lat == value)
        // The reference decoder reads the fast encoder's numbers identically, and vice versa.
        let reference = try PayloadJSON.decode(ObservationRecorded.self, from: bytes)
        #expect(reference == decoded)
        #expect(try ObservationRecorded.decodeJSON(try PayloadJSON.encode(payload)) == payload)

        var indicator = Samples.indicator
        indicator.value = value
        indicator.components = ["x": value]
        let event = try EventCodec.decode(IndicatorComputed.self, record: EventCodec.encode(indicator, source: "/i"))
        #expect(event.payload.value == value)
        #expect(event.payload.components["x"] == value)
    }

    @Test("fast observation encoder writes the same bytes as the Codable reference")
    func fastEncoderMatchesReference() throws {
        var variants: [ObservationRecorded] = [Samples.observation]
        var noLocation = Samples.observation
        noLocation.location = nil
        variants.append(noLocation)
        var noArea = Samples.observation
        noArea.location = GeoLocation(lat: -33.5, lon: 151)
        variants.append(noArea)
        var escapes = Samples.observation
        escapes.sourceId = "trạm \"Hoàn Kiếm\" \\ / tab\t nl\n ctl\u{01} emoji 🌫"
        escapes.measurements = []
        variants.append(escapes)
        for payload in variants {
            let fast = try payload.encodeJSON()
            let reference = try PayloadJSON.encode(payload)
            #expect(String(decoding: fast, as: UTF8.self) == String(decoding: reference, as: UTF8.self))
            #expect(try ObservationRecorded.decodeJSON(fast) == payload)
        }
    }

    @Test("fast number formatting matches JSONEncoder byte for byte on many values")
    func numberFormattingMatchesReference() throws {
        var generator = DecodingErrorTests.SeededGenerator(state: 7)
        var values: [Double] = []
        for _ in 0..<400 {
            let digits = Double(Int.random(in: 0...9_999_999, using: &generator))
            let scale = [1.0, 10, 100, 1_000, 10_000, 1e5, 1e6, 1e7, 1e9][Int.random(in: 0...8, using: &generator)]
            values.append(digits / scale)
            values.append(-digits / scale * 1_000)
            values.append(Double.random(in: -1e6...1e6, using: &generator))
            values.append(Double.random(in: 0...0.001, using: &generator))
        }
        var payload = Samples.observation
        payload.measurements = values.map { ObservationMeasurement(quantity: "x", value: $0, unit: "u") }
        let fast = String(decoding: try payload.encodeJSON(), as: UTF8.self)
        let reference = String(decoding: try PayloadJSON.encode(payload), as: UTF8.self)
        #expect(fast == reference)
        #expect(try ObservationRecorded.decodeJSON(Array(fast.utf8)).measurements.map(\.value) == values)
    }

    @Test("fast observation decoder agrees with the reference on unusual but valid input")
    func fastDecoderFallbacks() throws {
        let inputs = [
            #"{"observationId":"a","datasetId":"d","agencyId":"g","sourceId":"s","observedAt":"2025-01-01T00:00:00Z","measurements":[],"location":null}"#,
            #"{"observationId":"a","datasetId":"d\u0041","agencyId":"g","sourceId":"s\n","observedAt":"2025-01-01T00:00:00Z","measurements":[{"quantity":"pm25","value":1E2,"unit":"\u00b5g/m\u00b3","extra":[{}]}]}"#,
            #" { "observationId" : "a" , "datasetId":"d","agencyId":"g","sourceId":"s","observedAt":"2025-01-01T07:00:00+07:00","measurements":[ ],"location":{"lat":1,"lon":2,"areaCode":null} } "#,
        ]
        for input in inputs {
            let bytes = Array(input.utf8)
            #expect(try ObservationRecorded.decodeJSON(bytes) == PayloadJSON.decode(ObservationRecorded.self, from: bytes))
        }
    }

    @Test("every payload round-trips through binary and structured mode", arguments: FixtureCatalog.cases.map(\.name))
    func roundTrips(name: String) throws {
        let fixtureCase = try #require(FixtureCatalog.cases.first { $0.name == name })
        let record = try fixtureCase.record()
        let value = try #require(record.value)
        #expect(try fixtureCase.reencode(value) == value)
        let envelope = try CloudEvent(kafkaHeaders: record.headers, value: record.value)
        let structured = try CloudEvent(structuredJSON: envelope.structuredJSON())
        #expect(structured == envelope)
    }

    @Test("keys are camelCase and optional nils are omitted")
    func camelCase() throws {
        let payload = IndicatorComputed(
            indicatorId: "pm25_24h_mean", source: "s", periodStart: Samples.eventTime, periodEnd: Samples.eventTime,
            value: 1, unit: "µg/m³", complete: false, computedAt: Samples.eventTime, datasetId: "d"
        )
        let text = String(decoding: try payload.encodeJSON(), as: UTF8.self)
        #expect(text.contains("\"indicatorId\":\"pm25_24h_mean\""))
        #expect(text.contains("\"periodStart\":\"2025-03-01T00:01:20.125+07:00\""))
        #expect(!text.contains("categoryVi"))
        #expect(!text.contains("null"))
        #expect(String(decoding: try Samples.delivery.encodeJSON(), as: UTF8.self).contains("\"status\":\"dead-lettered\""))
    }

    @Test("partition keys follow the topic table")
    func keys() {
        #expect(Samples.observation.partitionKey == Array("hanoi-city".utf8))
        #expect(Samples.indicator.partitionKey == Array("vn_aqi_hourly/01".utf8))
        var stationValue = Samples.indicator
        stationValue.area = nil
        #expect(stationValue.partitionKey == Array("vn_aqi_hourly/hanoi-city".utf8))
        #expect(Samples.alert.partitionKey == Samples.indicator.partitionKey)
        #expect(Samples.delivery.partitionKey == Array("sub-42".utf8))
        #expect(Samples.agency.partitionKey == Array("so-tnmt-hanoi".utf8))
        var keyless = Samples.rejected
        keyless.sourceId = nil
        #expect(keyless.partitionKey == Array(keyless.batchId.utf8))
    }

    @Test("alert severities are ordered")
    func severities() {
        #expect(AlertSeverity.info < .warning && AlertSeverity.warning < .critical)
    }
}
