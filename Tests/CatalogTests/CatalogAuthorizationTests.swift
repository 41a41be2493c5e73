import CityTestSupport
import Foundation
import Testing

@Suite("Catalog authorisation and request problems")
struct CatalogAuthorizationTests {
    @Test("An agency cannot touch another's datasets; a subscriber key cannot publish; no or bad keys are 401")
    func authorisation() async throws {
        try await CatalogProcess.with { catalog in
            let run = CatalogProcess.uniquePrefix()
            let (alpha, beta, subscriber) = ("\(run)-alpha", "\(run)-beta", "\(run)-sub")
            let alphaKey = try await catalog.agency(alpha, role: "publisher")
            let betaKey = try await catalog.agency(beta, role: "both")
            let subscriberKey = try await catalog.agency(subscriber, role: "subscriber")
            let betaData = "\(run)-beta-data"
            #expect(try await catalog.post("/v1/datasets", CatalogProcess.dataset(betaData, agency: beta), headers: CatalogProcess.bearer(betaKey)).status == 201)

            let foreignCreate = try await catalog.post("/v1/datasets", CatalogProcess.dataset("\(run)-x", agency: beta), headers: CatalogProcess.bearer(alphaKey))
            #expect(foreignCreate.status == 403)
            #expect(foreignCreate.contentType == "application/problem+json")
            let foreignPut = try await catalog.send("PUT", "/v1/datasets/\(betaData)", CatalogProcess.dataset(betaData, agency: beta), headers: CatalogProcess.bearer(alphaKey))
            #expect(foreignPut.status == 403)
            let takeover = try await catalog.send("PUT", "/v1/datasets/\(betaData)", CatalogProcess.dataset(betaData, agency: alpha), headers: CatalogProcess.bearer(alphaKey))
            #expect(takeover.status == 403, "an agency cannot claim another's dataset by naming itself owner")
            #expect(try await catalog.send("DELETE", "/v1/datasets/\(betaData)", headers: CatalogProcess.bearer(alphaKey)).status == 403)
            #expect(try await catalog.post("/v1/grants", ["datasetId": betaData, "agencyId": alpha], headers: CatalogProcess.bearer(alphaKey)).status == 403)

            let subscriberCreate = try await catalog.post(
                "/v1/datasets", CatalogProcess.dataset("\(run)-own", agency: subscriber), headers: CatalogProcess.bearer(subscriberKey))
            #expect(subscriberCreate.status == 403)
            #expect((subscriberCreate.json["detail"] as? String)?.contains("subscriber") == true)

            #expect(try await catalog.post("/v1/datasets", CatalogProcess.dataset("\(run)-y", agency: alpha), headers: [:]).status == 401)
            let forged = "cdk_aaaaaaaaaaaa_" + String(repeating: "A", count: 43)
            #expect(try await catalog.post("/v1/datasets", CatalogProcess.dataset("\(run)-y", agency: alpha), headers: CatalogProcess.bearer(forged)).status == 401)
            #expect(try await catalog.post("/v1/agencies", ["id": "\(run)-z", "name": "Z"], headers: CatalogProcess.bearer(betaKey)).status == 403)
            #expect(try await catalog.post("/v1/agencies", ["id": "\(run)-z", "name": "Z"], headers: [:]).status == 401)
            #expect(try await catalog.service.http.get("/v1/agencies/\(beta)/keys", headers: CatalogProcess.bearer(alphaKey)).status == 403)
            #expect(try await catalog.service.http.get("/v1/datasets/\(betaData)").status == 200, "metadata is open to read")
        }
    }

    @Test("Malformed JSON is 400, invalid fields 422 with their paths, duplicates 409, unknown ids 404")
    func problems() async throws {
        try await CatalogProcess.with { catalog in
            let run = CatalogProcess.uniquePrefix()
            let owner = "\(run)-owner"
            let key = try await catalog.agency(owner)
            let auth = CatalogProcess.bearer(key)

            let malformed = try await catalog.service.http.request("POST", "/v1/datasets", headers: auth.merging(["Content-Type": "application/json"]) { $1 }, body: Data("{\"id\": ".utf8))
            #expect(malformed.status == 400)
            #expect(malformed.contentType == "application/problem+json")

            var unknownQuantity = CatalogProcess.dataset("\(run)-q", agency: owner)
            unknownQuantity["fields"] = [["quantity": "radiation", "unit": "Sv", "column": "r"]]
            let quantity = try await catalog.post("/v1/datasets", unknownQuantity, headers: auth)
            #expect(quantity.status == 422)
            let errors = quantity.json["errors"] as? [[String: Any]] ?? []
            #expect(errors.compactMap { $0["field"] as? String } == ["fields[0].quantity"])

            var badFrequency = CatalogProcess.dataset("\(run)-f", agency: owner)
            badFrequency["updateFrequency"] = "every hour"
            let frequency = try await catalog.post("/v1/datasets", badFrequency, headers: auth)
            #expect(frequency.status == 422)
            #expect((frequency.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "updateFrequency")

            var wrongType = CatalogProcess.dataset("\(run)-t", agency: owner)
            wrongType["keywords"] = "not a list"
            let type = try await catalog.post("/v1/datasets", wrongType, headers: auth)
            #expect(type.status == 422)
            #expect((type.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "keywords")

            #expect(try await catalog.post("/v1/datasets", CatalogProcess.dataset("\(run)-d", agency: owner), headers: auth).status == 201)
            #expect(try await catalog.post("/v1/datasets", CatalogProcess.dataset("\(run)-d", agency: owner), headers: auth).status == 409)
            #expect(try await catalog.post("/v1/agencies", ["id": owner, "name": "again"], headers: catalog.admin).status == 409)
            let publicGrant = try await catalog.post("/v1/grants", ["datasetId": "\(run)-d", "agencyId": owner], headers: auth)
            #expect(publicGrant.status == 422, "grants share restricted datasets only")
            #expect(try await catalog.service.http.get("/v1/datasets/\(run)-none").status == 404)
            #expect(try await catalog.send("DELETE", "/v1/agencies/\(owner)/keys/nosuchkey0000", headers: catalog.admin).status == 404)
            #expect(try await catalog.post("/v1/agencies/\(owner)/keys", ["role": "owner"], headers: catalog.admin).status == 422)
            #expect(try await catalog.service.http.get("/v1/datasets?pageSize=5000").status == 422)
        }
    }
}
