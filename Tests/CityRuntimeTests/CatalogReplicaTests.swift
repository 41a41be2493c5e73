import CityEvents
import CityKafka
import CityRuntime
import CityTestSupport
import Foundation
import Testing

@Suite("Catalog replica: state")
struct CatalogStateTests {
    private func agency(_ id: String, key: ApiKey, role: ApiKeyRole = .both, revoked: Bool = false, at seconds: Int64 = 100) -> SnapshotChange<AgencySnapshot> {
        let record = ApiKeyRecord(keyId: key.keyId, hash: key.hash, role: role, createdAt: Timestamp(secondsSinceEpoch: 1), revokedAt: revoked ? Timestamp(secondsSinceEpoch: seconds) : nil)
        return .upsert(Event(source: "/t", payload: AgencySnapshot(id: id, name: id, nameEn: id, apiKeys: [record], updatedAt: Timestamp(secondsSinceEpoch: seconds))))
    }

    private func dataset(_ id: String, owner: String, access: AccessLevel) -> SnapshotChange<DatasetSnapshot> {
        .upsert(Event(source: "/t", payload: DatasetSnapshot(
            id: id, agencyId: owner, title: id, titleEn: id, theme: "environment", accessLevel: access, license: "CC-BY-4.0",
            updateFrequency: "PT1H", timeColumn: "t", fields: [], updatedAt: Timestamp(secondsSinceEpoch: 1))))
    }

    @Test("a key authenticates its agency with its role; a wrong secret, a revoked key and a malformed token do not")
    func authentication() throws {
        var state = CatalogState()
        let key = ApiKey.generate()
        state.apply(agency("a", key: key, role: .publisher))
        let credential = try state.authenticate(authorization: "Bearer \(key.rawValue)").get()
        #expect(credential == AgencyCredential(agencyId: "a", keyId: key.keyId, role: .publisher))
        #expect(credential.canPublish && !credential.canSubscribe)

        let forged = try #require(ApiKey("cdk_\(key.keyId)_" + String(repeating: "x", count: 43)))
        #expect(state.authenticate(apiKey: forged.rawValue) == .failure(.unknownKey))
        #expect(state.authenticate(authorization: nil) == .failure(.missing))
        #expect(state.authenticate(authorization: "Basic abc") == .failure(.notBearer))
        #expect(state.authenticate(authorization: "Bearer nope") == .failure(.malformed))

        state.apply(agency("a", key: key, role: .publisher, revoked: true, at: 200))
        #expect(state.authenticate(apiKey: key.rawValue) == .failure(.revoked))
        state.apply(SnapshotChange<AgencySnapshot>.deleted(entityId: "a"))
        #expect(state.authenticate(apiKey: key.rawValue) == .failure(.unknownKey))
    }

    @Test("an older snapshot does not overwrite a newer one")
    func olderSnapshotIgnored() {
        var state = CatalogState()
        let key = ApiKey.generate()
        state.apply(agency("a", key: key, revoked: true, at: 200))
        state.apply(agency("a", key: key, revoked: false, at: 100))
        #expect(state.authenticate(apiKey: key.rawValue) == .failure(.revoked))
    }

    @Test("visibility: public, owner, granted — and a deleted grant takes it away")
    func visibility() {
        var state = CatalogState()
        state.apply(dataset("open", owner: "o", access: .public))
        state.apply(dataset("closed", owner: "o", access: .restricted))
        #expect(state.isVisible(datasetId: "open", to: "s"))
        #expect(state.isVisible(datasetId: "closed", to: "o"))
        #expect(!state.isVisible(datasetId: "closed", to: "s"))
        #expect(!state.isVisible(datasetId: "missing", to: "o"))
        state.apply(SnapshotChange<GrantSnapshot>.upsert(Event(source: "/t", payload: GrantSnapshot(id: "g1", datasetId: "closed", agencyId: "s", createdAt: .now()))))
        #expect(state.isVisible(datasetId: "closed", to: "s"))
        state.apply(SnapshotChange<GrantSnapshot>.deleted(entityId: "g1"))
        #expect(!state.isVisible(datasetId: "closed", to: "s"))
    }

    @Test("caught up when every partition reached its start watermark, or records stopped arriving")
    func catchUp() {
        let start = ContinuousClock.now
        let p0 = TopicPartition(topic: "t", partition: 0), p1 = TopicPartition(topic: "t", partition: 1)
        var progress = CatchUpProgress(settle: .seconds(2), giveUp: .seconds(10))
        progress.setTargets([p0: 3, p1: 0], now: start)
        #expect(!progress.isCaughtUp)
        progress.read(p0, offset: 1, now: start)
        progress.evaluate(now: start + .seconds(1))
        #expect(!progress.isCaughtUp)
        progress.read(p0, offset: 2, now: start + .seconds(1))
        #expect(progress.isCaughtUp)

        var markers = CatchUpProgress(settle: .seconds(2), giveUp: .seconds(10))
        markers.setTargets([p0: 5], now: start)
        markers.read(p0, offset: 3, now: start)  // offset 4 is a transaction marker, never delivered
        markers.evaluate(now: start + .seconds(1))
        #expect(!markers.isCaughtUp)
        markers.evaluate(now: start + .seconds(2))
        #expect(markers.isCaughtUp)
    }
}

@Suite("Catalog replica: from the topics")
struct CatalogReplicaTests {
    @Test("a replica started after the catalog wrote rebuilds agencies, datasets and grants, then follows changes")
    func rebuildsAndFollows() async throws {
        let servers = try LiveKafka.bootstrapServers()
        let publisher = CatalogPublisher(bootstrapServers: servers)
        let owner = KafkaTestKit.uniqueName("owner"), reader = KafkaTestKit.uniqueName("reader")
        let dataset = KafkaTestKit.uniqueName("ds"), grant = KafkaTestKit.uniqueName("grant")
        let (_, ownerKey) = try await publisher.agency(owner, role: .publisher)
        let (readerAgency, readerKey) = try await publisher.agency(reader, role: .subscriber)
        try await publisher.dataset(dataset, agencyId: owner, accessLevel: .restricted)
        try await publisher.grant(grant, datasetId: dataset, agencyId: reader)

        let replica = CatalogReplica(bootstrapServers: servers, logger: KafkaTestKit.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await replica.run() }
            try await replica.waitUntilCaughtUp()
            // Caught up means what was written before the start is there.
            let state = replica.state
            #expect(try state.authenticate(apiKey: ownerKey.rawValue).get().agencyId == owner)
            #expect(state.isVisible(datasetId: dataset, to: reader))

            // Then it follows: a revoked key and a deleted grant take effect.
            var revoked = readerAgency
            revoked.apiKeys[0].revokedAt = .now()
            revoked.updatedAt = .now()
            try await publisher.publish(revoked)
            try await publisher.delete(GrantSnapshot.self, id: grant)
            try await KafkaTestKit.eventually(within: .seconds(30), "the replica sees the revocation and the deleted grant") {
                let now = replica.state
                return now.authenticate(apiKey: readerKey.rawValue) == .failure(.revoked) && !now.isVisible(datasetId: dataset, to: reader)
            }
            group.cancelAll()
        }
    }
}
