import CityEvents
import CityKafka
import CityTestSupport
import Foundation
import Testing

/// The platform as a whole: catalog, ingest, indicators and notifications as four processes, each on
/// its own schema, talking only over Kafka. An agency's observations posted to ingest raise a
/// station's VN_AQI; the alert reaches a subscribing agency's webhook, signed, and verified there by
/// the independent Python `standardwebhooks` implementation.
///
/// Ingest and indicators share a topic of this test (`INGEST_OBSERVATIONS_TOPIC`,
/// `INDICATORS_OBSERVATIONS_TOPIC`) so that indicators does not replay what other tests left on
/// `city.observations.v1`; the catalog, alert and delivery topics are the platform's own.
@Suite("End to end: four services as processes")
struct EndToEndTests {
    static let adminToken = "e2e-admin-token-0123456789abcdefghijklmnopq"
    var admin: [String: String] { ["Authorization": "Bearer \(Self.adminToken)"] }

    @Test("an observation posted to ingest that raises a station's AQI reaches a subscriber's webhook as a verified alert")
    func observationBecomesVerifiedAlert() async throws {
        let kafka = try LiveKafka.bootstrapServers()
        let suffix = String(UInt32.random(in: .min ... .max), radix: 16)
        let owner = "e2e-owner-\(suffix)", subscriber = "e2e-subscriber-\(suffix)", dataset = "e2e-air-\(suffix)"
        let station = "e2e-station-\(suffix)"
        let topic = try await Self.makeObservationsTopic(kafka: kafka, dataset: dataset)

        try await ServiceUnderTest.with("catalog", kafka: kafka, environment: ["ADMIN_TOKEN": Self.adminToken]) { catalog in
            let ownerKey = try await agency(owner, role: "publisher", on: catalog)
            let subscriberKey = try await agency(subscriber, role: "subscriber", on: catalog)
            let created = try await catalog.http.post("/v1/datasets", json: [
                "id": dataset, "agencyId": owner, "title": "Chất lượng không khí (E2E)", "titleEn": "Air quality (E2E)", "theme": "environment",
                "accessLevel": "public", "updateFrequency": "PT1H", "license": "CC-BY-4.0", "timeColumn": "timestamp",
                "fields": [["quantity": "pm25", "unit": "ug/m3", "column": "pm25"]],
            ], headers: admin)
            try #require(created.status == 201, "dataset: \(created.body)")

            try await ServiceUnderTest.with("ingest", kafka: kafka, environment: ["INGEST_OBSERVATIONS_TOPIC": topic]) { ingest in
                try await ServiceUnderTest.with("indicators", kafka: kafka, environment: ["INDICATORS_OBSERVATIONS_TOPIC": topic]) { _ in
                    try await ServiceUnderTest.with("notifications", kafka: kafka, environment: NotificationsScenario.environment) { notifications in
                        let subscriberAuth = ["Authorization": "Bearer \(subscriberKey)"]
                        try await KafkaTestKit.eventually(within: .seconds(60), "notifications knows the subscriber's key") {
                            try await notifications.http.get("/v1/subscriptions", headers: subscriberAuth).status == 200
                        }
                        let receiverPort = try freeTCPPort()
                        let subscription = try await notifications.http.post("/v1/subscriptions", json: [
                            "filter": ["types": [EventType.indicatorAlert], "datasetIds": [dataset]],
                            "channel": ["type": "webhook", "url": "http://127.0.0.1:\(receiverPort)/hooks"],
                        ], headers: subscriberAuth)
                        try #require(subscription.status == 201, "subscription: \(subscription.body)")
                        let secret = try #require(subscription.json["secret"] as? String)
                        let receiver = try await WebhookReceiver(port: receiverPort, secret: secret)
                        defer { receiver.stop() }

                        // Four hours of heavy smog at the station, ending in the current hour.
                        let now = Int64(Date().timeIntervalSince1970)
                        let records: [[String: Any]] = (0..<4).map { hoursAgo in
                            let time = Timestamp(secondsSinceEpoch: now - Int64(3 - hoursAgo) * 3_600 - 60, utcOffsetMinutes: 420)
                            return [
                                "datasetId": dataset, "sourceId": station, "observedAt": time.rfc3339,
                                "location": ["lat": 21.0285, "lon": 105.8542], "measurements": [["quantity": "pm25", "value": 250, "unit": "ug/m3"]],
                            ]
                        }
                        let body = try JSONSerialization.data(withJSONObject: records)
                        let publisherAuth = ["Authorization": "Bearer \(ownerKey)", "Content-Type": "application/json"]
                        // Ingest learns the key and the dataset from the catalog's topics: 401/404 until then.
                        var accepted: HTTPProbe.Reply?
                        try await KafkaTestKit.eventually(within: .seconds(60), "ingest accepts the observations") {
                            let reply = try await ingest.http.request("POST", "/v1/observations", headers: publisherAuth, body: body)
                            accepted = reply
                            return reply.status == 202
                        }
                        #expect(accepted?.json["accepted"] as? Int == 4, "\(accepted?.body ?? "")")

                        try await KafkaTestKit.eventually(within: .seconds(90), "the subscriber's receiver got the station's alert") {
                            receiver.entries.contains { $0.data?.source == station && $0.data?.kind == "raised" }
                        }
                        let alerts = receiver.entries.filter { $0.data?.source == station }
                        #expect(alerts.allSatisfy { $0.verified }, "every request verified by standardwebhooks: \(alerts.map { $0.error ?? "ok" })")
                        #expect(alerts.allSatisfy { $0.type == EventType.indicatorAlert })
                        let raised = try #require(alerts.first { $0.data?.kind == "raised" }?.data)
                        #expect(raised.datasetId == dataset)
                        #expect(raised.indicatorId?.hasPrefix("vn_aqi") == true || raised.indicatorId?.hasPrefix("pm25") == true, "\(raised)")
                        #expect((raised.value ?? 0) > 100)
                    }
                }
            }
        }
    }

    /// Creates an agency through the catalog's API and one key of `role`; returns the key.
    private func agency(_ id: String, role: String, on catalog: ServiceUnderTest) async throws -> String {
        let created = try await catalog.http.post("/v1/agencies", json: ["id": id, "name": "Cơ quan \(id)", "nameEn": "Agency \(id)"], headers: admin)
        try #require(created.status == 201, "agency \(id): \(created.body)")
        let key = try await catalog.http.post("/v1/agencies/\(id)/keys", json: ["role": role], headers: admin)
        try #require(key.status == 201, "key of \(id): \(key.body)")
        return try #require(key.json["apiKey"] as? String)
    }

    /// A topic of this test, created by publishing one old observation of another station to it (the
    /// dev cluster creates topics on first use; a real cluster would have them from `citytopics apply`).
    private static func makeObservationsTopic(kafka: String, dataset: String) async throws -> String {
        let topic = KafkaTestKit.uniqueName("test.e2e.observations")
        var configuration = KafkaProducerConfiguration(client: KafkaClientConfiguration(bootstrapServers: kafka, clientID: "e2e-test", statisticsInterval: nil))
        configuration.allowTopicAutoCreation = true
        let producer = try KafkaProducer(configuration: configuration, logger: KafkaTestKit.logger)
        let seed = ObservationRecorded(
            datasetId: dataset, agencyId: "e2e", sourceId: "e2e-seed",
            observedAt: Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970) - 30 * 86_400, utcOffsetMinutes: 420),
            measurements: [ObservationMeasurement(quantity: "pm25", value: 10, unit: "µg/m³")])
        var record = try EventCodec.encode(seed, source: "/city/ingest")
        record.topic = topic
        let outcomes = await producer.send([KafkaProducerRecord(record)])
        await producer.shutdown()
        for outcome in outcomes { _ = try outcome.get() }
        return topic
    }
}
