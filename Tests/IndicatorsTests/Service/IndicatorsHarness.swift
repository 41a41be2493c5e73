import CityEvents
import CityKafka
import CityRuntime
import CityTestSupport
import Foundation
import PostgresNIO
import Testing

/// What the indicators process tests share: a private observations topic per test (so a service
/// reads only its test's records; values and alerts still go to the platform topics), producing
/// observations, reading the service's schema and the topics back.
enum IndicatorsHarness {
    static let hanoi = GeoLocation(lat: 21.0285, lon: 105.8542, areaCode: "01")

    /// A unique observations topic; its dead letters go to `<topic>.dlq`.
    static func uniqueTopic() -> String { KafkaTestKit.uniqueName("test.indicators.observations") }

    /// Runs the indicators service on a fresh schema consuming `topic`.
    static func withService<Result: Sendable>(
        topic: String, environment: [String: String] = [:], _ body: @Sendable (ServiceUnderTest) async throws -> Result
    ) async throws -> Result {
        let kafka = try LiveKafka.bootstrapServers()
        var settings = ["INDICATORS_OBSERVATIONS_TOPIC": topic]
        settings.merge(environment) { _, given in given }
        return try await ServiceUnderTest.with("indicators", kafka: kafka, environment: settings, body)
    }

    static func observation(
        _ source: String, at time: String, _ values: [String: Double], location: GeoLocation? = hanoi, dataset: String = "air-test"
    ) -> ObservationRecorded {
        ObservationRecorded(
            datasetId: dataset, agencyId: "test-agency", sourceId: source, observedAt: Timestamp(rfc3339: time)!,
            location: location,
            measurements: values.sorted { $0.key < $1.key }.map { ObservationMeasurement(quantity: $0.key, value: $0.value, unit: "µg/m³") })
    }

    /// Publishes the observations to `topic`, in order, and waits for every acknowledgement.
    static func publish(_ observations: [ObservationRecorded], to topic: String) async throws {
        var configuration = KafkaProducerConfiguration(client: try client())
        configuration.allowTopicAutoCreation = true
        let producer = try KafkaProducer(configuration: configuration, logger: KafkaTestKit.logger)
        var records: [KafkaProducerRecord] = []
        for observation in observations {
            var record = try EventCodec.encode(observation, source: "/city/ingest")
            record.topic = topic
            records.append(KafkaProducerRecord(record))
        }
        let outcomes = await producer.send(records)
        await producer.shutdown()
        for outcome in outcomes { _ = try outcome.get() }
    }

    static func client() throws -> KafkaClientConfiguration {
        KafkaClientConfiguration(bootstrapServers: try LiveKafka.bootstrapServers(), clientID: "indicators-tests", statisticsInterval: nil)
    }

    /// Reads `topic` from the beginning and returns the records `keep` accepts, once `done` holds for
    /// them (or fails after `limit`).
    static func read(
        _ topic: String, within limit: Duration = .seconds(60), keep: @escaping @Sendable (KafkaConsumerRecord) -> Bool,
        until done: @escaping @Sendable ([KafkaConsumerRecord]) -> Bool
    ) async throws -> [KafkaConsumerRecord] {
        try await KafkaTestKit.read(topic, client: try client(), within: limit, keep: keep, until: done)
    }

    /// The rows of `sql` (one text column) against the test database.
    static func texts(_ sql: String) async throws -> [String] {
        try await TestDatabase.withAdminClient { client in
            var rows: [String] = []
            for try await text in try await client.query(PostgresQuery(unsafeSQL: sql)).decode(String?.self) { rows.append(text ?? "NULL") }
            return rows
        }
    }

    /// How many records of the observations topic the service's transactions have committed.
    static func committed(_ service: ServiceUnderTest) async -> Int {
        let sql = "SELECT coalesce(sum(next_offset), 0)::int8 FROM \(service.role.schema.quoted).kafka_offsets"
        return (try? await TestDatabase.withAdminClient { client in
            for try await count in try await client.query(PostgresQuery(unsafeSQL: sql)).decode(Int64.self) { return Int(count) }
            return 0
        }) ?? 0
    }

    /// Waits until `count` records are committed and the outbox is fully relayed.
    static func waitUntilProcessed(_ service: ServiceUnderTest, count: Int, within limit: Duration = .seconds(120)) async throws {
        try await KafkaTestKit.eventually(within: limit, "\(count) observations committed by \(service.role.schema)") {
            await committed(service) >= count
        }
        let schema = service.role.schema.quoted
        try await KafkaTestKit.eventually(within: limit, "the outbox of \(service.role.schema) relayed") {
            await KafkaTestKit.count("SELECT count(*)::int8 FROM \(schema).outbox WHERE sent_at IS NULL") == 0
        }
    }

    /// The decoded JSON values of an API answer's `values` array.
    static func values(_ reply: HTTPProbe.Reply) -> [[String: Any]] {
        (reply.json["values"] as? [[String: Any]]) ?? []
    }
}
