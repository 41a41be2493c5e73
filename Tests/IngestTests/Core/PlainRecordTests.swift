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
        let record = try #require(PlainRecordParser.parse(Array("{\(Self.plain[2])}".utf8)))
        #expect(record.datasetId == "air" && record.sourceId == "station-1" && record.observedAt == "2025-04-01T10:00:00+07:00")
        #expect(record.location == nil)
        #expect(record.measurements.map(\.quantity) == ["pm25", "temperature"])
        #expect(record.measurements.map(\.value) == [nil, -0.0])
        #expect(record.measurements.map(\.unit) == [nil, nil])
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
