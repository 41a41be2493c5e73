import CityEvents
import CityKafka
import CityTestSupport
import Foundation
import Testing

/// A running catalog (child process, own schema) and the calls tests make against it.
struct CatalogProcess: Sendable {
    static let adminToken = "test-admin-token-0123456789abcdefghijklmnop"
    let service: ServiceUnderTest
    let kafka: String

    /// Runs `body` with a catalog started on a fresh schema against the live Kafka dev cluster.
    static func with<Result: Sendable>(_ body: @Sendable (CatalogProcess) async throws -> Result) async throws -> Result {
        let kafka = try LiveKafka.bootstrapServers()
        return try await ServiceUnderTest.with("catalog", kafka: kafka, environment: ["ADMIN_TOKEN": adminToken]) { service in
            try await body(CatalogProcess(service: service, kafka: kafka))
        }
    }

    var admin: [String: String] { ["Authorization": "Bearer \(Self.adminToken)"] }
    static func bearer(_ key: String) -> [String: String] { ["Authorization": "Bearer \(key)"] }

    /// A prefix unique to one test, e.g. `t-03fa9c2d`: its ids are `<prefix>-owner`, `<prefix>-air`…, so
    /// that it can pick its records out of the shared topics.
    static func uniquePrefix() -> String {
        let hex = String(UInt32.random(in: .min ... .max), radix: 16)
        return "t-" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    func post(_ path: String, _ json: Any, headers: [String: String]) async throws -> HTTPProbe.Reply {
        try await service.http.post(path, json: json, headers: headers)
    }

    func send(_ method: String, _ path: String, _ json: Any? = nil, headers: [String: String]) async throws -> HTTPProbe.Reply {
        var allHeaders = headers
        var body: Data?
        if let json {
            body = try JSONSerialization.data(withJSONObject: json)
            allHeaders["Content-Type"] = "application/json"
        }
        return try await service.http.request(method, path, headers: allHeaders, body: body)
    }

    /// Creates an agency (admin) and one key of `role`; returns the key.
    @discardableResult
    func agency(_ id: String, role: String = "both") async throws -> String {
        let created = try await post("/v1/agencies", ["id": id, "name": "Cơ quan \(id)", "nameEn": "Agency \(id)"], headers: admin)
        try #require(created.status == 201, "agency \(id): \(created.body)")
        let key = try await post("/v1/agencies/\(id)/keys", ["role": role], headers: admin)
        try #require(key.status == 201, "key of \(id): \(key.body)")
        return try #require(key.json["apiKey"] as? String)
    }

    /// A valid dataset body.
    static func dataset(_ id: String, agency: String, title: String = "Chất lượng không khí Hà Nội", accessLevel: String = "public") -> [String: Any] {
        [
            "id": id, "agencyId": agency, "title": title, "titleEn": "Hanoi air quality", "theme": "environment",
            "accessLevel": accessLevel, "updateFrequency": "PT1H", "license": "CC-BY-4.0", "timeColumn": "timestamp",
            "fields": [["quantity": "pm25", "unit": "ug/m3", "column": "pm25"]],
        ]
    }
}

/// Reads the catalog topics of the shared dev cluster.
enum CatalogTopics {
    /// Reads `topic` from the beginning until `done` holds for the records whose key starts with
    /// `keyPrefix` (the topics are shared by every test), within `limit`.
    static func read(
        _ topic: String, keyPrefix: String, kafka: String, within limit: Duration = .seconds(60),
        until done: @escaping @Sendable ([KafkaConsumerRecord]) -> Bool
    ) async throws -> [KafkaConsumerRecord] {
        try await KafkaTestKit.read(
            topic, client: KafkaClientConfiguration(bootstrapServers: kafka, clientID: "catalog-tests", statisticsInterval: nil), within: limit,
            keep: { record in record.key.map { String(decoding: $0, as: UTF8.self).hasPrefix(keyPrefix) } ?? false }, until: done)
    }

    /// The records' decoded snapshot changes, in topic order.
    static func changes<Payload: SnapshotPayload>(_ type: Payload.Type, _ records: [KafkaConsumerRecord]) throws -> [SnapshotChange<Payload>] {
        try records.map { record in
            try EventCodec.decodeSnapshot(
                type, key: record.key, headers: record.headers.map { EventHeader(name: $0.name, value: $0.value ?? []) }, value: record.value)
        }
    }
}
