import CityEvents
import IngestCore
import Testing

@Suite("Ingest validation")
struct ValidationTests {
    static let dataset = DatasetSnapshot(
        id: "air", agencyId: "env", title: "Không khí", titleEn: "Air", theme: "environment", accessLevel: .public,
        license: "CC-BY-4.0", updateFrequency: "PT1H", timeColumn: "timestamp", sourceColumn: nil,
        fields: [
            DatasetField(quantity: "pm25", unit: "ug/m3", column: "pm25"), DatasetField(quantity: "no2", unit: "ug/m3", column: "no2"),
            DatasetField(quantity: "wind_speed", unit: "km/h", column: "wind_speed"), DatasetField(quantity: "humidity", unit: "%", column: "humidity"),
            DatasetField(quantity: "temperature", unit: "°C", column: "temperature"), DatasetField(quantity: "co", unit: "mg/m3", column: "co"),
        ],
        updatedAt: Timestamp(secondsSinceEpoch: 0)
    )
    let now = Timestamp(rfc3339: "2025-04-01T12:00:00+07:00")!
    let validator = ObservationValidator(agencyId: "env") { id in
        switch id {
        case "air": return .owned(ValidationTests.dataset)
        case "traffic": return .notOwned(owner: "transport")
        default: return .unknown
        }
    }

    private func record(_ fields: String) -> [UInt8] { Array("{\(fields)}".utf8) }
    private let good = #""datasetId": "air", "sourceId": "station-1", "observedAt": "2025-04-01T10:00:00+07:00""#

    @Test("a valid record: units converted to canonical, id derived from dataset, source and time")
    func valid() throws {
        let result = validator.validate(json: record(good + #", "location": {"lat": 21.03, "lon": 105.85}, "measurements": [{"quantity": "pm25", "value": 0.031, "unit": "mg/m3"}, {"quantity": "no2", "value": 10, "unit": "ppb"}]"#), index: 0, now: now)
        let observation = try result.get()
        #expect(observation.value(of: "pm25")! == 31.0)
        #expect(abs(observation.value(of: "no2")! - 18.817) < 0.01)  // 10 ppb × 46.01 / 24.45
        #expect(observation.observationId == ObservationID.make(datasetId: "air", sourceId: "station-1", observedAt: observation.observedAt))
        #expect(observation.agencyId == "env")
    }

    @Test("each bad record names its field and reason", arguments: [
        (#""datasetId": "air", "sourceId": "s", "observedAt": "2025-04-01T10:00:00+07:00", "measurements": [], "extra": 1"#, "extra", RecordError.Code.unknownField),
        (#""datasetId": "nope", "sourceId": "s", "observedAt": "2025-04-01T10:00:00+07:00", "measurements": []"#, "datasetId", .unknownDataset),
        (#""datasetId": "traffic", "sourceId": "s", "observedAt": "2025-04-01T10:00:00+07:00", "measurements": []"#, "datasetId", .forbiddenDataset),
        (#""datasetId": "air", "observedAt": "2025-04-01T10:00:00+07:00", "measurements": []"#, "sourceId", .missingField),
        (#""datasetId": "air", "sourceId": 5, "observedAt": "2025-04-01T10:00:00+07:00", "measurements": []"#, "sourceId", .wrongType),
        (#""datasetId": "air", "sourceId": "<script>alert(1)</script>", "observedAt": "2025-04-01T10:00:00+07:00", "measurements": [{"quantity": "pm25", "value": 1}]"#, "sourceId", .source),
        (#""datasetId": "air", "sourceId": "s'; DROP TABLE observations; --", "observedAt": "2025-04-01T10:00:00+07:00", "measurements": [{"quantity": "pm25", "value": 1}]"#, "sourceId", .source),
        (#""datasetId": "air", "sourceId": "s", "observedAt": "2025-04-01T10:00:00", "measurements": [{"quantity": "pm25", "value": 1}]"#, "observedAt", .timestamp),
        (#""datasetId": "air", "sourceId": "s", "observedAt": "2025-04-01T12:06:00+07:00", "measurements": [{"quantity": "pm25", "value": 1}]"#, "observedAt", .future),
        (#""datasetId": "air", "sourceId": "s", "observedAt": "2025-04-01T10:00:00+07:00", "measurements": [{"quantity": "pm25", "value": 1e999}]"#, "measurements[0].value", .notFinite),
        (#""datasetId": "air", "sourceId": "s", "observedAt": "2025-04-01T10:00:00+07:00", "measurements": [{"quantity": "pm25", "value": "12"}]"#, "measurements[0].value", .wrongType),
        (#""datasetId": "air", "sourceId": "s", "observedAt": "2025-04-01T10:00:00+07:00", "measurements": [{"quantity": "pm25", "value": 99999}]"#, "measurements[0].value", .outOfRange),
        (#""datasetId": "air", "sourceId": "s", "observedAt": "2025-04-01T10:00:00+07:00", "measurements": [{"quantity": "pm25", "value": 1, "unit": "km/h"}]"#, "measurements[0].unit", .unit),
        (#""datasetId": "air", "sourceId": "s", "observedAt": "2025-04-01T10:00:00+07:00", "measurements": [{"quantity": "radon", "value": 1}]"#, "measurements[0].quantity", .unknownQuantity),
        (#""datasetId": "air", "sourceId": "s", "observedAt": "2025-04-01T10:00:00+07:00", "measurements": [{"quantity": "pm25", "value": null}]"#, nil, .noMeasurements),
        (#""datasetId": "air", "sourceId": "s", "observedAt": "2025-04-01T10:00:00+07:00", "location": {"lat": 91, "lon": 0}, "measurements": [{"quantity": "pm25", "value": 1}]"#, "location.lat", .location),
    ] as [(String, String?, RecordError.Code)])
    func refused(fields: String, field: String?, code: RecordError.Code) {
        guard case .failure(let error) = validator.validate(json: record(fields), index: 7, now: now) else {
            Issue.record("accepted: \(fields)")
            return
        }
        #expect(error.index == 7)
        #expect(error.field == field)
        #expect(error.code == code, "\(error.reason)")
        #expect(!error.reason.isEmpty && !error.reason.contains("\n"))
    }

    @Test("a real IQAir CSV row: values with units, N/A as missing, microsecond timestamps")
    func csvRow() throws {
        let header = "timestamp,city,aqi,weather_icon,wind_speed,humidity,temperature,pm25,pm10,o3,no2,so2,co".split(separator: ",").map(String.init)
        let mapping = try CSVMapping.make(header: header, dataset: Self.dataset, sourceIdParameter: "iqair-hanoi").get()
        let row = "2025-04-01T00:01:08.766681+07:00,Hà Nội,92,/dl/x.svg,6.4 km/h,61%,16.1°C,31.0,100.3,12.2,N/A,0.0,0.8".split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let observation = try validator.validate(row: row, mapping: mapping, index: 0, now: now).get()
        #expect(observation.sourceId == "iqair-hanoi")
        #expect(abs(observation.value(of: "wind_speed")! - 6.4 / 3.6) < 1e-9)
        #expect(observation.value(of: "humidity") == 61)
        #expect(observation.value(of: "temperature") == 16.1)
        #expect(observation.value(of: "no2") == nil)
        #expect(observation.value(of: "co") == 800)  // mg/m³ → µg/m³
        #expect(observation.observedAt.nanoseconds == 766_681_000)
    }

    @Test("a CSV header without the time column, or without any field column, cannot be mapped")
    func csvHeader() {
        #expect(throws: CSVHeaderError.self) { try CSVMapping.make(header: ["time", "pm25"], dataset: Self.dataset, sourceIdParameter: "s").get() }
        #expect(throws: CSVHeaderError.self) { try CSVMapping.make(header: ["timestamp", "other"], dataset: Self.dataset, sourceIdParameter: "s").get() }
        #expect(throws: CSVHeaderError.self) { try CSVMapping.make(header: ["timestamp", "pm25"], dataset: Self.dataset, sourceIdParameter: nil).get() }
    }
}
