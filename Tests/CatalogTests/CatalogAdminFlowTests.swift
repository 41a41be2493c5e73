import CityEvents
import CityKafka
import CityTestSupport
import Foundation
import Testing

@Suite("Catalog administration over HTTP, with its events", .serialized)
struct CatalogAdminFlowTests {
    @Test("Agency, key, dataset and grant: created, read, updated, revoked, deleted — each change on its topic")
    func fullFlow() async throws {
        try await CatalogProcess.with { catalog in
            let run = CatalogProcess.uniquePrefix()
            let (owner, reader, datasetID, prefix) = ("\(run)-owner", "\(run)-reader", "\(run)-air", "\(run)-")
            let admin = catalog.admin

            // Agency and key.
            let created = try await catalog.post("/v1/agencies", ["id": owner, "name": "Sở TN&MT", "nameEn": "DoNRE"], headers: admin)
            #expect(created.status == 201)
            #expect(created.header("Location") == "/v1/agencies/\(owner)")
            let issued = try await catalog.post("/v1/agencies/\(owner)/keys", ["role": "publisher"], headers: admin)
            #expect(issued.status == 201)
            let apiKey = try #require(issued.json["apiKey"] as? String)
            let keyID = try #require(issued.json["keyId"] as? String)
            #expect(ApiKey(apiKey)?.keyId == keyID)
            let keys = try await catalog.service.http.get("/v1/agencies/\(owner)/keys", headers: CatalogProcess.bearer(apiKey))
            #expect(keys.status == 200)
            #expect(!keys.body.contains("sha256:") && !keys.body.contains(apiKey), "key listings show neither hashes nor keys")
            let renamed = try await catalog.send("PATCH", "/v1/agencies/\(owner)", ["nameEn": "Department of Natural Resources"], headers: admin)
            #expect(renamed.status == 200)
            #expect(renamed.json["nameEn"] as? String == "Department of Natural Resources")
            try await catalog.agency(reader, role: "subscriber")

            // Dataset with the agency's own key; read; replace.
            var body = CatalogProcess.dataset(datasetID, agency: owner, accessLevel: "restricted")
            let dataset = try await catalog.post("/v1/datasets", body, headers: CatalogProcess.bearer(apiKey))
            #expect(dataset.status == 201, "\(dataset.body)")
            let read = try await catalog.service.http.get("/v1/datasets/\(datasetID)")
            #expect(read.json["title"] as? String == "Chất lượng không khí Hà Nội")
            body["license"] = "CC0-1.0"
            let replaced = try await catalog.send("PUT", "/v1/datasets/\(datasetID)", body, headers: CatalogProcess.bearer(apiKey))
            #expect(replaced.status == 200)
            #expect(replaced.json["license"] as? String == "CC0-1.0")

            // Grant to the reader; list; revoke the key; delete the grant and the dataset.
            let grant = try await catalog.post("/v1/grants", ["datasetId": datasetID, "agencyId": reader], headers: CatalogProcess.bearer(apiKey))
            #expect(grant.status == 201, "\(grant.body)")
            let grantID = try #require(grant.json["id"] as? String)
            let grants = try await catalog.service.http.get("/v1/grants?datasetId=\(datasetID)", headers: admin)
            #expect((grants.json["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [grantID])
            let duplicate = try await catalog.post("/v1/grants", ["datasetId": datasetID, "agencyId": reader], headers: admin)
            #expect(duplicate.status == 409)
            #expect(try await catalog.send("DELETE", "/v1/grants/\(grantID)", headers: admin).status == 204)
            #expect(try await catalog.send("DELETE", "/v1/agencies/\(owner)/keys/\(keyID)", headers: admin).status == 204)
            let revoked = try await catalog.service.http.get("/v1/datasets", headers: CatalogProcess.bearer(apiKey))
            #expect(revoked.status == 200, "reading stays open")
            let refused = try await catalog.send("DELETE", "/v1/datasets/\(datasetID)", headers: CatalogProcess.bearer(apiKey))
            #expect(refused.status == 401, "a revoked key authenticates nothing")
            let busy = try await catalog.send("DELETE", "/v1/agencies/\(owner)", headers: admin)
            #expect(busy.status == 409, "an agency that owns datasets cannot be deleted")
            #expect(try await catalog.send("DELETE", "/v1/datasets/\(datasetID)", headers: admin).status == 204)
            #expect(try await catalog.service.http.get("/v1/datasets/\(datasetID)").status == 404)
            #expect(try await catalog.send("DELETE", "/v1/agencies/\(owner)", headers: admin).status == 204)

            // The topics: the agency's snapshots (last one: key revoked, then a tombstone) …
            let agencyRecords = try await CatalogTopics.read(TopicName.agencies, keyPrefix: prefix, kafka: catalog.kafka) { records in
                records.contains { $0.value == nil && $0.key.map { String(decoding: $0, as: UTF8.self) } == owner }
            }
            let agencyChanges = try CatalogTopics.changes(AgencySnapshot.self, agencyRecords).filter { $0.entityId == owner }
            let snapshots = agencyChanges.compactMap { change -> AgencySnapshot? in
                if case .upsert(let event) = change { event.payload } else { nil }
            }
            #expect(snapshots.count == 4, "create, key issued, rename, key revoked")
            #expect(snapshots.map(\.updatedAt) == snapshots.map(\.updatedAt).sorted() && Set(snapshots.map(\.updatedAt)).count == 4)
            let last = try #require(snapshots.last)
            #expect(last.nameEn == "Department of Natural Resources")
            #expect(last.apiKeys.map(\.keyId) == [keyID])
            #expect(last.apiKeys.first?.hash == ApiKey.hash(of: apiKey))
            #expect(last.apiKeys.first?.revokedAt != nil)
            #expect(last.apiKeys.first?.role == .publisher)
            #expect(agencyChanges.last == .deleted(entityId: owner))
            #expect(!agencyRecords.contains { $0.value.map { String(decoding: $0, as: UTF8.self).contains(apiKey) } ?? false }, "never the key itself")

            // … the dataset's two snapshots and its tombstone …
            let datasetRecords = try await CatalogTopics.read(TopicName.datasets, keyPrefix: prefix, kafka: catalog.kafka) { records in
                records.contains { $0.value == nil }
            }
            let datasetChanges = try CatalogTopics.changes(DatasetSnapshot.self, datasetRecords)
            let licenses = datasetChanges.compactMap { change -> String? in if case .upsert(let event) = change { event.payload.license } else { nil } }
            #expect(licenses == ["CC-BY-4.0", "CC0-1.0"])
            #expect(datasetChanges.last == .deleted(entityId: datasetID))

            // … and the grant, then its tombstone.
            let grantRecords = try await CatalogTopics.read(TopicName.grants, keyPrefix: grantID, kafka: catalog.kafka) { $0.count >= 2 }
            let grantChanges = try CatalogTopics.changes(GrantSnapshot.self, grantRecords)
            guard case .upsert(let event) = grantChanges.first else { Issue.record("the first grant record must be its snapshot"); return }
            #expect(event.payload.datasetId == datasetID && event.payload.agencyId == reader)
            #expect(event.subject == datasetID)
            #expect(grantChanges.last == .deleted(entityId: grantID))
        }
    }
}
