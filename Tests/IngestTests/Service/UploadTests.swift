import CityEvents
import CityKafka
import CityRuntime
import CityTestSupport
import Foundation
import Testing

@Suite("Ingest: uploads", .serialized)
struct UploadTests {
    @Test("JSON: partial acceptance — 202 with the good records published and archived, the bad ones listed and published as rejections")
    func partialAcceptance() async throws {
        try await IngestFixture.with { fixture in
            let source = KafkaTestKit.uniqueName("st")
            let body: [[String: Any]] = [
                fixture.record(source: source, at: "2025-04-01T10:00:00+07:00"),
                fixture.record(source: source, at: "2025-04-01T11:00:00+07:00", pm25: -5),
                fixture.record(source: source, at: "2025-04-01T12:00:00"),
                fixture.record(source: source, at: "2025-04-01T13:00:00+07:00", extra: ["colour": "red"]),
                fixture.record(source: source, at: "2025-04-01T14:00:00+07:00"),
                fixture.record(source: source, at: "2025-04-01T10:00:00+07:00"),  // repeats the first
            ]
            let reply = try await fixture.ingest.http.post("/v1/observations", json: body, headers: fixture.auth)
            #expect(reply.status == 202, "\(reply.body)")
            #expect(reply.int("accepted") == 2)
            #expect(reply.int("rejected") == 3)
            #expect(reply.int("duplicates") == 1)
            let errors = reply.errors
            #expect(errors.map { $0["index"] as? Int } == [1, 2, 3])
            #expect(errors.map { $0["field"] as? String } == ["measurements[0].value", "observedAt", "colour"])
            #expect(errors.allSatisfy { ($0["reason"] as? String)?.isEmpty == false })

            try await fixture.waitForArchive(2)
            let batchId = try #require(reply.json["batchId"] as? String)
            let batch = try await fixture.ingest.http.get("/v1/batches/\(batchId)", headers: fixture.auth)
            #expect(batch.status == 200)
            #expect(batch.int("accepted") == 2)

            // The rejections are events too, with the batch id and the reason.
            let rejected = try await RejectedReader.read(batchId: batchId, kafka: fixture.kafka)
            #expect(Set(rejected.map(\.index)) == [1, 2, 3])
            #expect(rejected.allSatisfy { $0.agencyId == fixture.agency })
        }
    }

    @Test("the same records sent again (a retrying client) are archived once; a repeated Idempotency-Key replays the first answer")
    func duplicatesAndIdempotency() async throws {
        try await IngestFixture.with { fixture in
            let source = KafkaTestKit.uniqueName("st")
            let lines = (0..<50).map { minute in
                #"{"datasetId": "\#(fixture.dataset)", "sourceId": "\#(source)", "observedAt": "2025-04-02T10:\#(minute < 10 ? "0" : "")\#(minute):00+07:00", "measurements": [{"quantity": "pm25", "value": \#(minute)}]}"#
            }.joined(separator: "\n")
            let first = try await fixture.post(lines, contentType: "application/x-ndjson", headers: ["Idempotency-Key": "k-1"])
            #expect(first.status == 202)
            #expect(first.int("accepted") == 50)
            let replay = try await fixture.post(lines, contentType: "application/x-ndjson", headers: ["Idempotency-Key": "k-1"])
            #expect(replay.status == 202)
            #expect(replay.header("Idempotent-Replayed") == "true")
            #expect(replay.json["batchId"] as? String == first.json["batchId"] as? String)
            // Without the key the same records are published again — and still archived once.
            let again = try await fixture.post(lines, contentType: "application/x-ndjson")
            #expect(again.status == 202)
            #expect(again.json["batchId"] as? String != first.json["batchId"] as? String)
            try await fixture.waitForArchive(50)
            try await Task.sleep(for: .seconds(2))
            #expect(try await fixture.archivedCount() == 50)
        }
    }

    @Test("records sent again together with new ones: the archive (COPY refused by the repeats) still stores every new record, once")
    func repeatsBesideNewRecords() async throws {
        try await IngestFixture.with { fixture in
            let source = KafkaTestKit.uniqueName("st")
            let lines = (0..<100).map { minute in
                #"{"datasetId": "\#(fixture.dataset)", "sourceId": "\#(source)", "observedAt": "2025-04-03T\#(minute / 60 + 10):\#(minute % 60 < 10 ? "0" : "")\#(minute % 60):00+07:00", "measurements": [{"quantity": "pm25", "value": \#(minute)}]}"#
            }
            let first = try await fixture.post(lines[0..<50].joined(separator: "\n"), contentType: "application/x-ndjson")
            #expect(first.int("accepted") == 50)
            try await fixture.waitForArchive(50)
            // One request, read by the archive in one batch or few: 50 records archived already beside 50 new ones.
            let again = try await fixture.post(lines.joined(separator: "\n"), contentType: "application/x-ndjson")
            #expect(again.int("accepted") == 100)
            try await fixture.waitForArchive(100)
            try await Task.sleep(for: .seconds(2))
            #expect(try await fixture.archivedCount() == 100)
        }
    }

    @Test("instants that differ only below the microsecond are two observations: both archived, each once")
    func subMicrosecondInstantsStayDistinct() async throws {
        // Postgres keeps microseconds, so both rows have the same observed_at; the archive's key must
        // still tell them apart (it ends with the observation id) and still refuse a repeat of either.
        try await IngestFixture.with { fixture in
            let source = KafkaTestKit.uniqueName("st")
            let lines = ["2025-04-04T10:00:00.0000001+07:00", "2025-04-04T10:00:00.0000002+07:00"].map { instant in
                #"{"datasetId": "\#(fixture.dataset)", "sourceId": "\#(source)", "observedAt": "\#(instant)", "measurements": [{"quantity": "pm25", "value": 12}]}"#
            }
            let first = try await fixture.post(lines.joined(separator: "\n"), contentType: "application/x-ndjson")
            #expect(first.int("accepted") == 2)
            try await fixture.waitForArchive(2)
            let again = try await fixture.post(lines.joined(separator: "\n"), contentType: "application/x-ndjson")
            #expect(again.int("accepted") == 2)
            try await Task.sleep(for: .seconds(3))
            #expect(try await fixture.archivedCount() == 2)
        }
    }

    @Test("a real IQAir CSV file loads unchanged; the archive exports it back as CSV, JSON and NDJSON")
    func realCSV() async throws {
        let root = ProcessInfo.processInfo.environment["CITYDATA_ROOT"] ?? FileManager.default.currentDirectoryPath
        let file = URL(fileURLWithPath: root).appendingPathComponent("deploy/demo/data/iqair-vn-2025/hanoi/aqi_hanoi_2025_apr.csv")
        let csv = try String(contentsOf: file, encoding: .utf8)
        let rows = csv.split(whereSeparator: \.isNewline).count - 1
        try await IngestFixture.with { fixture in
            let reply = try await fixture.post(csv, contentType: "text/csv", query: "?datasetId=\(fixture.dataset)&sourceId=iqair-hanoi")
            #expect(reply.status == 202, "\(reply.body)")
            let accepted = try #require(reply.int("accepted")), rejected = try #require(reply.int("rejected")), duplicates = try #require(reply.int("duplicates"))
            #expect(accepted + rejected + duplicates == rows)
            #expect(accepted > rows * 9 / 10, "accepted \(accepted) of \(rows): \(reply.errors.prefix(5))")
            try await fixture.waitForArchive(accepted, within: .seconds(90))
            let exported = try await fixture.ingest.http.get("/v1/datasets/\(fixture.dataset)/observations?format=csv&source=iqair-hanoi")
            #expect(exported.status == 200)
            #expect(exported.contentType?.hasPrefix("text/csv") == true)
            let lines = exported.body.split(separator: "\r\n")
            #expect(lines.first == "observedAt,sourceId,lat,lon,us_aqi,wind_speed,humidity,temperature,pm25,pm10,o3,no2,so2,co")
            #expect(lines.count == accepted + 1)
            // Conversions round to 12 significant digits (UnitConversion), so compare with the module's own value.
            let wind = try #require(try MeasurementParser.parse("6.4 km/h", quantity: "wind_speed", declaredUnit: "km/h")).value
            #expect(lines[1] == "2025-04-01T00:01:08.766681+07:00,iqair-hanoi,,,92,\(wind),61,16.1,31,100.3,12.2,86,0,800")
            let window = try await fixture.ingest.http.get("/v1/datasets/\(fixture.dataset)/observations?from=2025-04-01T00:00:00%2B07:00&to=2025-04-01T03:00:00%2B07:00")
            let records = try #require(try JSONSerialization.jsonObject(with: window.data) as? [[String: Any]])
            #expect(records.count == 3)
            #expect((records[0]["measurements"] as? [[String: Any]])?.contains { $0["quantity"] as? String == "wind_speed" && abs(($0["value"] as? Double ?? 0) - 6.4 / 3.6) < 1e-9 } == true)
        }
    }
}

/// Reads `city.ingest.rejected.v1` for one batch's rejections.
enum RejectedReader {
    static func read(batchId: String, kafka: String) async throws -> [IngestRejected] {
        let records = try await KafkaTestKit.readAll(
            TopicName.ingestRejected, client: KafkaClientConfiguration(bootstrapServers: kafka, clientID: "tests"), quiet: .seconds(2)
        )
        return records.compactMap { record in
            let event = record.eventRecord
            guard let decoded = try? EventCodec.decode(IngestRejected.self, headers: event.headers, value: event.value) else { return nil }
            return decoded.payload.batchId == batchId ? decoded.payload : nil
        }
    }
}
