import CityEvents
import IngestCore
import Testing

@Suite("Archive COPY rows")
struct CopyTextTests {
    let observation = ObservationRecorded(
        observationId: "id-1", datasetId: "air", agencyId: "env", sourceId: "station-1",
        observedAt: Timestamp(rfc3339: "2025-04-01T10:00:00.123456789+07:00")!,
        location: GeoLocation(lat: 21.0285, lon: 105.8, areaCode: "001"),
        measurements: [ObservationMeasurement(quantity: "pm25", value: 31, unit: "µg/m³"), ObservationMeasurement(quantity: "no2", value: 0.5, unit: "ppb")]
    )

    private func rows(_ observations: [ObservationRecorded]) throws -> String {
        var text = ObservationCopyText()
        for observation in observations { try text.append(observation) }
        #expect(text.rows == observations.count)
        return String(decoding: text.bytes, as: UTF8.self)
    }

    @Test("one tab-separated line per observation, in the column order, values as the payload carries them")
    func row() throws {
        #expect(ObservationCopyText.columns.count == 10)
        #expect(try rows([observation]) == "id-1\tair\tenv\tstation-1\t2025-04-01T10:00:00.123456789+07:00\t420\t21.0285\t105.8\t001\t"
            + #"[{"quantity":"pm25","unit":"µg/m³","value":31},{"quantity":"no2","unit":"ppb","value":0.5}]"# + "\n")
    }

    @Test("a missing location is three nulls; a negative offset and tiny or huge coordinates read back exactly")
    func nullsAndNumbers() throws {
        var bare = observation
        bare.location = nil
        bare.observedAt = bare.observedAt.withOffset(minutes: -570)
        var far = observation
        far.location = GeoLocation(lat: -0.00001, lon: 1e16)
        let lines = try rows([bare, far]).split(separator: "\n", omittingEmptySubsequences: false).map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        #expect(lines.count == 3 && lines[2] == [""])
        #expect(Array(lines[0][4...8]) == ["2025-03-31T17:30:00.123456789-09:30", "-570", #"\N"#, #"\N"#, #"\N"#])
        #expect(Double(String(lines[1][6])) == -0.00001 && Double(String(lines[1][7])) == 1e16)
        #expect(lines[1][8] == #"\N"#)
    }

    @Test("backslash, tab, newline and carriage return are escaped for COPY, in text and in the JSON")
    func escapes() throws {
        var odd = observation
        odd.sourceId = "a\\b\tc\nd\re"
        odd.measurements = [ObservationMeasurement(quantity: "q\"\\", value: 1, unit: "u\t")]
        let line = try rows([odd])
        #expect(line.split(separator: "\n").count == 1)
        let columns = line.dropLast().split(separator: "\t", omittingEmptySubsequences: false)
        #expect(columns.count == 10)
        #expect(columns[3] == #"a\\b\tc\nd\re"#)
        #expect(columns[9] == #"[{"quantity":"q\\"\\\\","unit":"u\\t","value":1}]"#)
    }

    @Test("a non-finite coordinate is refused and appends nothing")
    func nonFinite() throws {
        var bad = observation
        bad.location = GeoLocation(lat: .nan, lon: 1)
        var text = ObservationCopyText()
        #expect(throws: EventEncodingError.nonFiniteNumber(path: "location.lat")) { try text.append(bad) }
        #expect(text.rows == 0 && text.bytes.isEmpty)
    }
}
