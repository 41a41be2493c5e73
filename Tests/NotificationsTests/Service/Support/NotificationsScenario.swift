import CityEvents
import CityKafka
import CityRuntime
import CityTestSupport
import Foundation
import Testing

/// The catalog a service test needs — an owning agency with a dataset, a subscribing agency with a
/// key — published straight to the catalog topics with unique ids (the topics are shared by every
/// test), and helpers to run the notifications service and feed it events.
struct NotificationsScenario: Sendable {
    let kafka: String
    let catalog: CatalogPublisher
    let ownerId: String
    let subscriberId: String
    let subscriberKey: ApiKey
    let datasetId: String

    /// The environment the service runs with in tests: private receivers allowed, fast retries.
    static let environment = [
        "WEBHOOK_ALLOW_PRIVATE_NETWORKS": "true", "WEBHOOK_RETRY_SCHEDULE": "1s,2s", "WEBHOOK_RETRY_JITTER_PERCENT": "0",
        "WEBHOOK_TIMEOUT_SECONDS": "2", "DELIVERY_POLL_INTERVAL_SECONDS": "0.05",
    ]

    /// A new catalog: `access` decides whether the dataset is public; `grant` gives it to the subscriber.
    static func make(access: AccessLevel = .public, grant: Bool = false) async throws -> NotificationsScenario {
        let kafka = try LiveKafka.bootstrapServers()
        let catalog = CatalogPublisher(bootstrapServers: kafka)
        let suffix = String(UInt32.random(in: .min ... .max), radix: 16)
        let ownerId = "owner-\(suffix)", subscriberId = "subscriber-\(suffix)", datasetId = "air-\(suffix)"
        try await catalog.agency(ownerId)
        let (_, key) = try await catalog.agency(subscriberId, role: .subscriber)
        try await catalog.dataset(datasetId, agencyId: ownerId, accessLevel: access)
        if grant { try await catalog.grant(Self.grantId(datasetId), datasetId: datasetId, agencyId: subscriberId) }
        return NotificationsScenario(kafka: kafka, catalog: catalog, ownerId: ownerId, subscriberId: subscriberId, subscriberKey: key, datasetId: datasetId)
    }

    static func grantId(_ datasetId: String) -> String { "grant-\(datasetId)" }

    var authorization: [String: String] { ["Authorization": "Bearer \(subscriberKey.rawValue)"] }

    /// Runs `body` with the notifications service started, once its catalog replica knows the subscriber.
    func withService<Result: Sendable>(
        environment extra: [String: String] = [:], _ body: @Sendable (ServiceUnderTest) async throws -> Result
    ) async throws -> Result {
        try await ServiceUnderTest.with("notifications", kafka: kafka, environment: Self.environment.merging(extra) { _, new in new }) { service in
            try await KafkaTestKit.eventually(within: .seconds(30), "the replica knows the subscriber's key") {
                try await service.http.get("/v1/subscriptions", headers: authorization).status == 200
            }
            return try await body(service)
        }
    }

    /// Creates a subscription to this scenario's dataset's alerts; returns its id and secret.
    func subscribe(_ service: ServiceUnderTest, url: String) async throws -> (id: String, secret: String) {
        let reply = try await service.http.post(
            "/v1/subscriptions",
            json: ["filter": ["types": [EventType.indicatorAlert], "datasetIds": [datasetId]], "channel": ["type": "webhook", "url": url]],
            headers: authorization
        )
        try #require(reply.status == 201, "create subscription: \(reply.status) \(reply.body)")
        let id = try #require(reply.json["id"] as? String)
        let secret = try #require(reply.json["secret"] as? String)
        return (id, secret)
    }

    /// Publishes `count` alerts of this scenario's dataset, each from its own source (its own
    /// ordering key) unless `source` is given; returns their event ids.
    @discardableResult
    func publishAlerts(_ count: Int, source: String? = nil) async throws -> [String] {
        var records: [KafkaProducerRecord] = []
        var ids: [String] = []
        for index in 0..<count {
            let alert = IndicatorAlert(
                indicatorId: "vn_aqi_hourly", source: source ?? "station-\(index)", kind: .raised, severity: .warning,
                category: "poor", value: 151 + Double(index % 50), threshold: 150,
                periodStart: Timestamp(rfc3339: "2025-04-01T07:00:00+07:00")!, periodEnd: Timestamp(rfc3339: "2025-04-01T08:00:00+07:00")!,
                datasetId: datasetId
            )
            let event = Event(source: "/citydata/tests/indicators", payload: alert)
            ids.append(event.id)
            records.append(KafkaProducerRecord(try EventCodec.encode(event)))
        }
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: KafkaClientConfiguration(bootstrapServers: kafka, clientID: "tests-indicators")),
            logger: KafkaTestKit.logger
        )
        let outcomes = await producer.send(records)
        await producer.shutdown()
        for outcome in outcomes { _ = try outcome.get() }
        return ids
    }

    /// Changes a subscription (`PATCH /v1/subscriptions/{id}`).
    func patch(_ service: ServiceUnderTest, subscription: String, _ body: [String: Any]) async throws -> HTTPProbe.Reply {
        try await service.http.request(
            "PATCH", "/v1/subscriptions/\(subscription)", headers: authorization.merging(["Content-Type": "application/json"]) { a, _ in a },
            body: try JSONSerialization.data(withJSONObject: body)
        )
    }

    /// The subscription's delivery log.
    func deliveries(_ service: ServiceUnderTest, subscription: String, query: String = "") async throws -> [[String: Any]] {
        let reply = try await service.http.get("/v1/subscriptions/\(subscription)/deliveries\(query)", headers: authorization)
        try #require(reply.status == 200, "delivery log: \(reply.status) \(reply.body)")
        return reply.json["deliveries"] as? [[String: Any]] ?? []
    }
}
