import CityEvents
import CityKafka
import CityTestSupport
import Foundation
import Testing

/// An ingest process with an agency (publisher key), a second agency (subscriber key) and a public
/// air-quality dataset whose fields match the IQAir CSV files, all with unique ids.
struct IngestFixture: Sendable {
    let ingest: ServiceUnderTest
    let kafka: String
    let agency: String
    let key: ApiKey
    let subscriberKey: ApiKey
    let otherAgency: String
    let otherKey: ApiKey
    let dataset: String
    let otherDataset: String

    static let iqairFields = [
        DatasetField(quantity: "us_aqi", unit: "AQI", column: "aqi"),
        DatasetField(quantity: "wind_speed", unit: "km/h", column: "wind_speed"),
        DatasetField(quantity: "humidity", unit: "%", column: "humidity"),
        DatasetField(quantity: "temperature", unit: "°C", column: "temperature"),
        DatasetField(quantity: "pm25", unit: "ug/m3", column: "pm25"),
        DatasetField(quantity: "pm10", unit: "ug/m3", column: "pm10"),
        DatasetField(quantity: "o3", unit: "ug/m3", column: "o3"),
        DatasetField(quantity: "no2", unit: "ug/m3", column: "no2"),
        DatasetField(quantity: "so2", unit: "ug/m3", column: "so2"),
        DatasetField(quantity: "co", unit: "mg/m3", column: "co"),
    ]

    /// Publishes the catalog entries, then runs `body` with ingest started on them.
    static func with<Result: Sendable>(
        environment: [String: String] = [:], kafka servers: String? = nil,
        _ body: @Sendable (IngestFixture) async throws -> Result
    ) async throws -> Result {
        let kafka = try servers ?? LiveKafka.bootstrapServers()
        let publisher = CatalogPublisher(bootstrapServers: kafka)
        let agency = KafkaTestKit.uniqueName("env"), other = KafkaTestKit.uniqueName("transport")
        // One agency with two keys: a publisher key and a subscriber-only key.
        let key = ApiKey.generate(), subscriber = ApiKey.generate()
        try await publisher.publish(AgencySnapshot(
            id: agency, name: "Sở \(agency)", nameEn: "Department \(agency)",
            apiKeys: [
                ApiKeyRecord(keyId: key.keyId, hash: key.hash, role: .publisher, createdAt: .now()),
                ApiKeyRecord(keyId: subscriber.keyId, hash: subscriber.hash, role: .subscriber, createdAt: .now()),
            ],
            updatedAt: .now()
        ))
        let (_, otherKey) = try await publisher.agency(other, role: .both)
        let dataset = KafkaTestKit.uniqueName("air")
        let otherDataset = KafkaTestKit.uniqueName("traffic")
        try await publisher.dataset(dataset, agencyId: agency, fields: iqairFields)
        try await publisher.dataset(otherDataset, agencyId: other, accessLevel: .restricted, fields: [DatasetField(quantity: "traffic_speed", unit: "km/h", column: "speed")])
        return try await ServiceUnderTest.with("ingest", kafka: kafka, environment: environment) { ingest in
            try await body(IngestFixture(
                ingest: ingest, kafka: kafka, agency: agency, key: key, subscriberKey: subscriber,
                otherAgency: other, otherKey: otherKey, dataset: dataset, otherDataset: otherDataset
            ))
        }
    }

    var auth: [String: String] { ["Authorization": "Bearer \(key.rawValue)"] }

    /// A JSON record of the fixture's dataset.
    func record(source: String, at time: String, pm25: Any = 12.5, extra: [String: Any] = [:]) -> [String: Any] {
        var record: [String: Any] = [
            "datasetId": dataset, "sourceId": source, "observedAt": time,
            "measurements": [["quantity": "pm25", "value": pm25, "unit": "ug/m3"]],
        ]
        record.merge(extra) { _, new in new }
        return record
    }

    /// POSTs raw bytes with a content type.
    func post(_ body: String, contentType: String, query: String = "", headers: [String: String] = [:]) async throws -> HTTPProbe.Reply {
        var all = auth
        all["Content-Type"] = contentType
        all.merge(headers) { _, new in new }
        return try await ingest.http.request("POST", "/v1/observations\(query)", headers: all, body: Data(body.utf8))
    }

    /// Rows in the archive of the fixture's dataset (read through the service's own role).
    func archivedCount(dataset id: String? = nil) async throws -> Int {
        let reply = try await ingest.http.get("/v1/datasets/\(id ?? dataset)/observations?format=ndjson", headers: auth)
        guard reply.status == 200 else { throw ExpectationTimedOut(description: "export answered \(reply.status): \(reply.body)") }
        return reply.body.split(separator: "\n").count
    }

    /// Waits until the archive holds `count` rows of the dataset.
    func waitForArchive(_ count: Int, within limit: Duration = .seconds(60)) async throws {
        try await KafkaTestKit.eventually(within: limit, "the archive holds \(count) rows") { try await archivedCount() == count }
    }
}

extension HTTPProbe.Reply {
    /// An integer member of a JSON object body.
    func int(_ name: String) -> Int? { (json[name] as? NSNumber)?.intValue }
    /// The `errors` member as dictionaries.
    var errors: [[String: Any]] { json["errors"] as? [[String: Any]] ?? [] }
}
