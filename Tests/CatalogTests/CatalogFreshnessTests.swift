import CityEvents
import CityKafka
import CityTestSupport
import Foundation
import Testing

@Suite("Dataset freshness")
struct CatalogFreshnessTests {
    @Test("A dataset with no data within its frequency plus grace turns late, an observation makes it fresh; both changes are published")
    func lateAndBack() async throws {
        let kafka = try LiveKafka.bootstrapServers()
        let environment = ["ADMIN_TOKEN": CatalogProcess.adminToken, "FRESHNESS_GRACE": "1", "FRESHNESS_CHECK_INTERVAL": "200ms"]
        try await ServiceUnderTest.with("catalog", kafka: kafka, environment: environment) { service in
            let catalog = CatalogProcess(service: service, kafka: kafka)
            let run = CatalogProcess.uniquePrefix()
            let key = try await catalog.agency(run, role: "publisher")
            let id = "\(run)-air"
            var body = CatalogProcess.dataset(id, agency: run)
            body["updateFrequency"] = "PT2S"
            let created = try await catalog.post("/v1/datasets", body, headers: CatalogProcess.bearer(key))
            try #require(created.status == 201)
            #expect((created.json["freshness"] as? [String: Any])?["late"] as? Bool == false)

            func freshness() async throws -> [String: Any] {
                (try await service.http.get("/v1/datasets/\(id)").json["freshness"] as? [String: Any]) ?? [:]
            }
            try await KafkaTestKit.eventually(within: .seconds(30), "the dataset turns late") { try await freshness()["late"] as? Bool == true }

            // Two minutes ahead: the consumer's group join takes seconds, longer than the 3 s window of
            // this dataset, and the test is about the flag's transitions, not about the clock.
            let observedAt = Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970) + 120)
            let observation = ObservationRecorded(
                datasetId: id, agencyId: run, sourceId: "station-1", observedAt: observedAt,
                measurements: [ObservationMeasurement(quantity: "pm25", value: 31, unit: "µg/m³")])
            let record = try EventCodec.encode(observation, source: "/city/ingest")
            let producer = try KafkaProducer(
                configuration: KafkaProducerConfiguration(client: KafkaClientConfiguration(bootstrapServers: kafka, clientID: "catalog-tests", statisticsInterval: nil)),
                logger: KafkaTestKit.logger)
            let delivered = await producer.send([
                KafkaProducerRecord(topic: record.topic, key: record.key, value: record.value, headers: record.headers.map { KafkaHeader(name: $0.name, value: $0.value) })
            ])
            await producer.shutdown()
            for outcome in delivered { _ = try outcome.get() }

            try await KafkaTestKit.eventually(within: .seconds(60), "the observation makes the dataset fresh again") {
                let current = try await freshness()
                return current["late"] as? Bool == false && current["lastObservedAt"] != nil
            }
            let last = try #require(try await freshness()["lastObservedAt"] as? String)
            #expect(Timestamp(rfc3339: last).map { $0.isSameInstant(as: observedAt) } == true, "\(last) vs \(observedAt)")

            let records = try await CatalogTopics.read(TopicName.datasets, keyPrefix: id, kafka: kafka) { $0.count >= 3 }
            let flags = try CatalogTopics.changes(DatasetSnapshot.self, records).compactMap { change -> Bool? in
                if case .upsert(let event) = change { event.payload.freshness?.late } else { nil }
            }
            #expect(Array(flags.prefix(3)) == [false, true, false], "created fresh, turned late, caught up")
        }
    }
}
