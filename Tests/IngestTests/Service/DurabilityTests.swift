import CityEvents
import CityKafka
import CityTestSupport
import Foundation
import Testing

@Suite("Ingest: durability")
struct DurabilityTests {
    @Test("the archive killed with SIGKILL mid-stream, then restarted, ends with exactly the accepted records")
    func archiveSurvivesSIGKILL() async throws {
        try await IngestFixture.with(environment: ["INGEST_ARCHIVE_BATCH": "200"]) { fixture in
            // Eight sources, so the records spread over the partitions of both archive workers.
            let source = KafkaTestKit.uniqueName("st")
            var accepted = 0
            for request in 0..<10 {
                let lines = (0..<1_000).map { index in
                    let second = request * 1_000 + index
                    return #"{"datasetId": "\#(fixture.dataset)", "sourceId": "\#(source)-\#(index % 8)", "observedAt": "\#(Timestamp(secondsSinceEpoch: 1_743_465_600 + Int64(second) * 60, utcOffsetMinutes: 420).rfc3339)", "measurements": [{"quantity": "pm25", "value": \#(index % 300)}]}"#
                }.joined(separator: "\n")
                let reply = try await fixture.post(lines, contentType: "application/x-ndjson")
                #expect(reply.status == 202)
                accepted += reply.int("accepted") ?? 0
            }
            #expect(accepted == 10_000)
            try await KafkaTestKit.eventually(within: .seconds(60), "the archive has started") { try await fixture.archivedCount() > 0 }
            try await fixture.ingest.kill()
            try await fixture.ingest.start()
            try await fixture.waitForArchive(accepted, within: .seconds(120))
            try await Task.sleep(for: .seconds(2))
            #expect(try await fixture.archivedCount() == accepted)
        }
    }

    @Test("with Kafka gone, an upload fails within the acknowledgement timeout with 503 and Retry-After")
    func kafkaOutage() async throws {
        let topics = [TopicName.agencies: 1, TopicName.datasets: 1, TopicName.grants: 1, TopicName.observations: 3, TopicName.ingestRejected: 1, TopicName.observations + ".dlq": 1]
        let cluster = try await DevCluster(brokers: 1, topics: topics)
        do {
            try await IngestFixture.with(environment: ["INGEST_KAFKA_ACK_TIMEOUT": "3s", "INGEST_ARCHIVE": "false"], kafka: cluster.bootstrapServers) { fixture in
                let one = [fixture.record(source: "s", at: "2025-04-01T10:00:00+07:00")]
                #expect(try await fixture.ingest.http.post("/v1/observations", json: one, headers: fixture.auth).status == 202)
                try await cluster.stop()
                let started = ContinuousClock.now
                let reply = try await fixture.ingest.http.post("/v1/observations", json: [fixture.record(source: "s", at: "2025-04-01T11:00:00+07:00")], headers: fixture.auth)
                let elapsed = ContinuousClock.now - started
                #expect(reply.status == 503, "\(reply.body)")
                #expect(reply.header("Retry-After") != nil)
                #expect((reply.json["detail"] as? String ?? "").contains("retrying"))
                #expect(elapsed < .seconds(15), "took \(elapsed)")
            }
        } catch {
            try? await cluster.stop()
            throw error
        }
    }
}
