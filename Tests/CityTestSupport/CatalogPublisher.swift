import CityEvents
import CityKafka
import CityRuntime
import Foundation

/// Publishes catalog snapshots (agencies with keys, datasets, grants) straight to the compacted
/// catalog topics, as the catalog service would — for tests of services that read the catalog
/// through ``CatalogReplica`` without running the catalog itself. Use unique ids per test: the topics
/// are shared by every test on the dev cluster.
public struct CatalogPublisher: Sendable {
    public let bootstrapServers: String

    public init(bootstrapServers: String) { self.bootstrapServers = bootstrapServers }

    /// An agency with one fresh key; returns the snapshot and the key (the only copy of the secret).
    @discardableResult
    public func agency(_ id: String, role: ApiKeyRole = .both, extraKeys: [ApiKeyRecord] = []) async throws -> (snapshot: AgencySnapshot, key: ApiKey) {
        let key = ApiKey.generate()
        let snapshot = AgencySnapshot(
            id: id, name: "Cơ quan \(id)", nameEn: "Agency \(id)",
            apiKeys: [ApiKeyRecord(keyId: key.keyId, hash: key.hash, role: role, createdAt: .now())] + extraKeys,
            updatedAt: .now()
        )
        try await publish(snapshot)
        return (snapshot, key)
    }

    /// A dataset owned by `agencyId`.
    @discardableResult
    public func dataset(
        _ id: String, agencyId: String, accessLevel: AccessLevel = .public,
        fields: [DatasetField] = [DatasetField(quantity: "pm25", unit: "ug/m3", column: "pm25")],
        timeColumn: String = "timestamp", sourceColumn: String? = nil
    ) async throws -> DatasetSnapshot {
        let snapshot = DatasetSnapshot(
            id: id, agencyId: agencyId, title: "Dữ liệu \(id)", titleEn: "Dataset \(id)", theme: "environment",
            accessLevel: accessLevel, license: "CC-BY-4.0", updateFrequency: "PT1H", timeColumn: timeColumn,
            sourceColumn: sourceColumn, fields: fields, updatedAt: .now()
        )
        try await publish(snapshot)
        return snapshot
    }

    /// A grant of `datasetId` to `agencyId`.
    @discardableResult
    public func grant(_ id: String, datasetId: String, agencyId: String) async throws -> GrantSnapshot {
        let snapshot = GrantSnapshot(id: id, datasetId: datasetId, agencyId: agencyId, createdAt: .now())
        try await publish(snapshot)
        return snapshot
    }

    /// Publishes any snapshot (e.g. an agency whose key was revoked).
    public func publish<Payload: SnapshotPayload>(_ snapshot: Payload) async throws {
        try await send(EventCodec.encode(Event(source: "/citydata/tests/catalog", payload: snapshot)))
    }

    /// Publishes the tombstone that deletes an entity.
    public func delete<Payload: SnapshotPayload>(_ type: Payload.Type, id: String) async throws {
        try await send(EventCodec.tombstone(for: type, entityId: id))
    }

    private func send(_ record: KafkaRecord) async throws {
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: KafkaClientConfiguration(bootstrapServers: bootstrapServers, clientID: "tests-catalog")),
            logger: KafkaTestKit.logger
        )
        let outcomes = await producer.send([KafkaProducerRecord(record)])
        await producer.shutdown()
        for outcome in outcomes { _ = try outcome.get() }
    }
}
