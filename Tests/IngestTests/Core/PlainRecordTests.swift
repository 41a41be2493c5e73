import CityEvents
import IngestCore
import Testing

/// The plain-record path (``PlainRecordParser`` + the validator's fast path) must accept exactly what
/// the general path (``StrictJSONParser`` + ``ObservationValidator/validate(_:index:now:)``) accepts,
/// with the same observation, and leave everything else to it.
@Suite("Ingest: plain-record fast path")
struct PlainRecordTests {
    let now = ValidationTests().now
    let validator = ValidationTests().validator

    static let head = #""datasetId": "air", "sourceId": "station-1", "observedAt": "2025-04-01T10:00:00+07:00""#

    /// Records of the plain shape: the fast path reads them.
    static let plain: [String] = [
        head + #", "measurements": [{"quantity": "pm25", "value": 12.5, "unit": "ug/m3"}]"#,
        head + #", "location": {"lat": 21.03, "lon": 105.85, "areaCode": "HN-BD"}, "measurements": [{"quantity": "pm25", "value": 0.031, "unit": "mg/m3"}, {"quantity": "no2", "value": 10, "unit": "ppb"}]"#,
        head + #", "location": null, "measurements": [{"quantity": "pm25", "value": null}, {"unit": null, "value": -0, "quantity": "temperature"}]"#,
        #""measurements": [{"value": 1e1, "quantity": "humidity"}], "observedAt": "2025-04-01T03:00:00Z", "sourceId": "Trạm Hoàn Kiếm", "datasetId": "air""#,
        head + #",  "measurements" :[ {"quantity":"co","value":2.1727E0,"unit":"mg/m3"} ] , "location":{"lon":-0.5,"lat":0,"areaCode":null}"#,
        head + #", "measurements": [{"quantity": "pm25", "value": 9999999}]"#,  // out of range: general path says so
        head + #", "measurements": [{"quantity": "pm25", "value": 5, "unit": "furlongs"}]"#,  // unit not convertible
        head + #", "measurements": []"#,  // no measured value
        head + #", "location": {"lat": 91, "lon": 0}, "measurements": [{"quantity": "pm25", "value": 5}]"#,
        #""datasetId": "traffic", "sourceId": "s", "observedAt": "2025-04-01T10:00:00+07:00", "measurements": [{"quantity": "pm25", "value": 5}]"#,
        #""datasetId": "air", "sourceId": "<script>", "observedAt": "2025-04-01T10:00:00+07:00", "measurements": [{"quantity": "pm25", "value": 5}]"#,
        #""datasetId": "air", "sourceId": "s", "observedAt": "2025-04-01T10:00:00", "measurements": [{"quantity": "pm25", "value": 5}]"#,
        #""datasetId": "air", "sourceId": "s", "observedAt": "2030-01-01T00:00:00Z", "measurements": [{"quantity": "pm25", "value": 5}]"#,
        head + #", "measurements": [{"quantity": "ozone_ppm", "value": 5}]"#,  // not a field of the dataset
    ]

    /// Records the fast path leaves to the general one.
    static let notPlain: [String] = [
        head + #", "measurements": [{"quantity": "pm25", "value": 5}], "extra": 1"#,
        head + #", "datasetId": "air", "measurements": [{"quantity": "pm25", "value": 5}]"#,
        head + #", "measurements": [{"quantity": "pm25", "value": 5, "value": 6}]"#,
        head + #", "measurements": [{"quantity": "pm\u0032\u0035", "value": 5}]"#,
        head + #", "measurements": [{"quantity": "pm25", "value": 1e999}]"#,
        head + #", "measurements": [{"quantity": "pm25", "value": NaN}]"#,
        head + #", "measurements": [{"quantity": "pm25", "value": "5"}]"#,
        head + #", "measurements": [{"quantity": "pm25", "value": 05}]"#,
        head + #", "measurements": [{"quantity": "pm25"}]"#,
        head + #", "measurements": [{"quantity": "pm25", "value": 5},]"#,
        head + #", "location": [21, 105], "measurements": [{"quantity": "pm25", "value": 5}]"#,
        #""datasetId": "air", "observedAt": "2025-04-01T10:00:00+07:00", "measurements": [{"quantity": "pm25", "value": 5}]"#,
        #""datasetId": 7, "sourceId": "s", "observedAt": "2025-04-01T10:00:00+07:00", "measurements": [{"quantity": "pm25", "value": 5}]"#,
    ]

    @Test("plain records are read by the fast path, with the general path's result, valid or not")
    func plainRecordsAgree() throws {
        for text in Self.plain {
            let bytes = Array("{\(text)}".utf8)
            #expect(PlainRecordParser.parse(bytes) != nil, "not read as plain: \(text)")
            #expect(validator.validate(json: bytes, index: 3, now: now) == general(bytes), "\(text)")
        }
    }

    @Test("anything else is left to the general path, which gives the same answer as before")
    func otherRecordsFallBack() throws {
        var inputs = Self.notPlain.map { Array("{\($0)}".utf8) }
        inputs.append(Array("{\(Self.plain[0])} x".utf8))
        inputs.append(Array("[{\(Self.plain[0])}]".utf8))
        inputs.append(Array("{\(Self.head), \"measurements\": [{\"quantity\": \"pm25\", \"value\": 5}]".utf8))  // unterminated
        inputs.append([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D])  // invalid UTF-8 in a key
        for bytes in inputs {
            #expect(PlainRecordParser.parse(bytes) == nil, "read as plain: \(String(decoding: bytes, as: UTF8.self))")
            #expect(validator.validate(json: bytes, index: 3, now: now) == general(bytes))
        }
    }

    @Test("a plain record's fields as written")
    func fields() throws {
        let bytes = Array("{\(Self.plain[2])}".utf8)
        let record = try #require(PlainRecordParser.parse(bytes))
        func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        #expect(text(record.datasetId) == "air" && text(record.sourceId) == "station-1" && text(record.observedAt) == "2025-04-01T10:00:00+07:00")
        #expect(record.location == nil)
        #expect(record.measurements.map { text($0.quantity) } == ["pm25", "temperature"])
        #expect(record.measurements.map(\.value) == [nil, -0.0])
        #expect(record.measurements.map(\.unit) == [nil, nil])
    }

    /// An upload's records share one ``PlainPathCache``: whatever it learnt from earlier records
    /// (datasets, spellings, sources), each record gets the answer it gets alone.
    @Test("with a cache shared across an upload's records, every record gets the same result as alone")
    func sharedCacheAgrees() throws {
        var inputs = (Self.plain + Self.notPlain + Self.spellings).map { Array("{\($0)}".utf8) }
        // Invalid UTF-8 (a lone continuation byte) in each string the fast path reads as bytes.
        for field in ["sourceId\": \"s", "observedAt\": \"2025-04-01T10:00:00", "unit\": \"ug/m", "quantity\": \"pm2",
                      "areaCode\": \"HN", "datasetId\": \"ai"] {
            let text = "{\"datasetId\": \"air\", \"sourceId\": \"s\", \"observedAt\": \"2025-04-01T10:00:00+07:00\", "
                + "\"location\": {\"lat\": 21, \"lon\": 105, \"areaCode\": \"HN\"}, "
                + "\"measurements\": [{\"quantity\": \"pm25\", \"value\": 5, \"unit\": \"ug/m3\"}]}"
            var bytes = Array(text.utf8)
            let marker = Array("\"\(field)".utf8)
            let at = try #require((0...(bytes.count - marker.count)).first { Array(bytes[$0..<($0 + marker.count)]) == marker })
            bytes.insert(0x80, at: at + marker.count)
            inputs.append(bytes)
            guard case .failure(let error) = validator.validate(json: bytes, index: 0, now: now) else {
                Issue.record("invalid UTF-8 after \(field) was accepted")
                continue
            }
            #expect(error.code == .malformed, "\(field): \(error)")
        }
        inputs += inputs.reversed()  // each record again, after the others filled the cache
        var cache = PlainPathCache()
        var valid = 0
        for bytes in inputs {
            let alone = validator.validate(json: bytes, index: 3, now: now)
            let before = cache.plainRecords
            #expect(validator.validate(json: bytes, index: 3, now: now, cache: &cache) == alone, "\(String(decoding: bytes, as: UTF8.self))")
            #expect(alone == general(bytes))
            // A valid record of the plain shape is accepted by the fast path, not the general one.
            if case .success = alone, PlainRecordParser.parse(bytes) != nil {
                valid += 1
                #expect(cache.plainRecords == before + 1, "taken by the general path: \(String(decoding: bytes, as: UTF8.self))")
            }
        }
        #expect(valid >= 16)
    }

    /// Spellings the cache maps to fields and conversions on first sight: aliases of quantities and
    /// units, the declared unit, a unit that does not convert, a quantity the dataset lacks.
    static let spellings: [String] = [
        head + #", "measurements": [{"quantity": "PM2.5", "value": 12.5, "unit": "µg/m³"}, {"quantity": "pm25", "value": 3, "unit": "μg/m3"}]"#,
        head + #", "measurements": [{"quantity": "no2", "value": 10, "unit": "ppb"}, {"quantity": "no2", "value": 0.01, "unit": "ppm"}]"#,
        head + #", "measurements": [{"quantity": "temperature", "value": 77, "unit": "°F"}, {"quantity": "temperature", "value": 300, "unit": "K"}]"#,
        head + #", "measurements": [{"quantity": "co", "value": 1.5}, {"quantity": "wind_speed", "value": 3, "unit": "m/s"}]"#,
        head + #", "measurements": [{"quantity": "humidity", "value": 50, "unit": "ppb"}]"#,
        head + #", "measurements": [{"quantity": "pm10", "value": 50}]"#,
        #""datasetId": "air", "sourceId": " padded", "observedAt": "2025-04-01T10:00:00+07:00", "measurements": [{"quantity": "pm25", "value": 5}]"#,
        #""datasetId": "air", "sourceId": "Trạm Hoàn Kiếm", "observedAt": "2025-04-01T10:00:00.123456789+07:00", "measurements": [{"quantity": "pm25", "value": 5}]"#,
        #""datasetId": "air", "sourceId": "s", "observedAt": "2025-04-01T10:00:00+07:00", "location": {"lat": 21, "lon": 105, "areaCode": "\#(String(repeating: "A", count: 65))"}, "measurements": [{"quantity": "pm25", "value": 5}]"#,
        #""datasetId": "a\#u{0300}ir", "sourceId": "s", "observedAt": "2025-04-01T10:00:00+07:00", "measurements": [{"quantity": "pm25", "value": 5}]"#,
    ]

    /// Numbers as publishers write them, and the edges of the fast conversion (19 digits, 2⁵³,
    /// 10²²): each must read as `Double(String)` reads it.
    @Test("numbers read as Double(String) reads them")
    func numbers() throws {
        var texts = ["0", "-0", "12.5", "0.031", "70", "1e1", "2.1727E0", "-0.5", "1E+2", "1e-2", "0.1", "0.3", "123456789012345678",
                     "1234567890123456789", "12345678901234567890", "9007199254740993", "9007199254740992", "1e22", "1e23", "1e-22",
                     "1e-23", "4.9e-324", "1.7976931348623157e308", "0.000000000000000000000000001", "3.14159265358979323846",
                     "100000000000000000000000", "1.00000000000000000001", "0e999", "-0.0e-5", "5e-1"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let digits = String(UInt64.random(in: 0...UInt64.max, using: &generator) % 10_000_000_000_000_000)
            let point = Int.random(in: 0...digits.count, using: &generator)
            var text = point == digits.count ? digits : String(digits.prefix(max(point, 1))) + "." + String(digits.dropFirst(max(point, 1)))
            if Bool.random(using: &generator) { text += "e\(Int.random(in: -30...30, using: &generator))" }
            texts.append(Bool.random(using: &generator) ? "-" + text : text)
        }
        for text in texts {
            let bytes = Array("{\(Self.head), \"measurements\": [{\"quantity\": \"pm25\", \"value\": \(text)}]}".utf8)
            let record = try #require(PlainRecordParser.parse(bytes), "\(text)")
            let expected = try #require(Double(text))
            let value = try #require(record.measurements.first?.value)
            #expect(value.bitPattern == expected.bitPattern, "\(text): \(value) ≠ \(expected)")
        }
    }

    /// What the general path says of `bytes`.
    private func general(_ bytes: [UInt8]) -> Result<ObservationRecorded, RecordError> {
        do throws(JSONSyntaxError) {
            return validator.validate(try StrictJSONParser.parse(bytes), index: 3, now: now)
        } catch {
            return .failure(RecordError(index: 3, field: nil, reason: error.description, code: .malformed))
        }
    }
}
