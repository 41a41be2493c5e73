import CityEvents
import CityTestSupport
import Foundation
import Testing

/// The subscriptions API of the notifications process, over HTTP, with keys from the catalog topics.
@Suite("Subscriptions API")
struct SubscriptionAPITests {
    @Test("create answers 201 {id, secret}; get, list, pause, resume and delete work for the owner")
    func lifecycle() async throws {
        let scenario = try await NotificationsScenario.make()
        try await scenario.withService { service in
            let created = try await scenario.subscribe(service, url: "http://127.0.0.1:65500/hooks")
            #expect(created.secret.hasPrefix("whsec_"))

            let shown = try await service.http.get("/v1/subscriptions/\(created.id)", headers: scenario.authorization)
            #expect(shown.status == 200)
            #expect(shown.json["status"] as? String == "active")
            #expect(shown.json["agencyId"] as? String == scenario.subscriberId)
            #expect(!shown.body.contains(created.secret), "a subscription never shows its secret after creation")

            let listed = try await service.http.get("/v1/subscriptions", headers: scenario.authorization)
            #expect((listed.json["subscriptions"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [created.id])

            let paused = try await patch(service, scenario, created.id, ["paused": true])
            #expect(paused.status == 200)
            #expect(paused.json["status"] as? String == "paused")
            let resumed = try await patch(service, scenario, created.id, ["paused": false, "channel": ["url": "http://127.0.0.1:65501/other"]])
            #expect(resumed.json["status"] as? String == "active")
            #expect((resumed.json["channel"] as? [String: Any])?["url"] as? String == "http://127.0.0.1:65501/other")

            let rotated = try await service.http.post("/v1/subscriptions/\(created.id)/rotate-secret", json: [String: Any](), headers: scenario.authorization)
            #expect(rotated.status == 200)
            #expect((rotated.json["secret"] as? String)?.hasPrefix("whsec_") == true)
            #expect(rotated.json["secret"] as? String != created.secret)
            #expect(rotated.json["previousSecretExpiresAt"] is String)

            let deleted = try await service.http.request("DELETE", "/v1/subscriptions/\(created.id)", headers: scenario.authorization)
            #expect(deleted.status == 204)
            let gone = try await service.http.get("/v1/subscriptions/\(created.id)", headers: scenario.authorization)
            #expect(gone.status == 404)
        }
    }

    @Test("another agency's subscription is not found, and unauthenticated or publisher-only calls are refused")
    func isolation() async throws {
        let scenario = try await NotificationsScenario.make()
        let (_, otherKey) = try await scenario.catalog.agency("other-" + scenario.subscriberId, role: .both)
        let (_, publisherKey) = try await scenario.catalog.agency("publisher-" + scenario.subscriberId, role: .publisher)
        try await scenario.withService { service in
            let created = try await scenario.subscribe(service, url: "http://127.0.0.1:65500/hooks")
            let other = ["Authorization": "Bearer \(otherKey.rawValue)"]
            try await KafkaTestKit.eventually(within: .seconds(30), "the replica knows the other agency") {
                try await service.http.get("/v1/subscriptions", headers: other).status == 200
            }
            #expect(try await service.http.get("/v1/subscriptions/\(created.id)", headers: other).status == 404)
            #expect(try await service.http.request("DELETE", "/v1/subscriptions/\(created.id)", headers: other).status == 404)
            #expect(try await service.http.get("/v1/subscriptions/\(created.id)/deliveries", headers: other).status == 404)
            let otherList = try await service.http.get("/v1/subscriptions", headers: other)
            #expect((otherList.json["subscriptions"] as? [Any])?.isEmpty == true)

            let anonymous = try await service.http.get("/v1/subscriptions")
            #expect(anonymous.status == 401)
            #expect(anonymous.contentType?.hasPrefix("application/problem+json") == true)

            let publisher = ["Authorization": "Bearer \(publisherKey.rawValue)"]
            try await KafkaTestKit.eventually(within: .seconds(30), "the replica knows the publisher") {
                try await service.http.get("/v1/subscriptions", headers: publisher).status != 401
            }
            #expect(try await service.http.get("/v1/subscriptions", headers: publisher).status == 403)
        }
    }

    @Test("bad filters and refused webhook targets are 422 problems that point at the field")
    func validation() async throws {
        let scenario = try await NotificationsScenario.make()
        try await scenario.withService { service in
            let badFilter = try await service.http.post(
                "/v1/subscriptions",
                json: ["filter": ["types": ["vn.citydata.nothing.v1"], "datasetIds": [String]()], "channel": ["type": "webhook", "url": "http://127.0.0.1:65500/"]],
                headers: scenario.authorization
            )
            #expect(badFilter.status == 422)
            #expect(badFilter.contentType?.hasPrefix("application/problem+json") == true)
            let pointers = (badFilter.json["errors"] as? [[String: Any]])?.compactMap { $0["pointer"] as? String } ?? []
            #expect(Set(pointers) == ["/filter/types/0", "/filter/datasetIds"])

            let metadata = try await service.http.post(
                "/v1/subscriptions",
                json: ["filter": [String: Any](), "channel": ["type": "webhook", "url": "http://169.254.169.254/latest/meta-data"]],
                headers: scenario.authorization
            )
            #expect(metadata.status == 422)
            let error = (metadata.json["errors"] as? [[String: Any]])?.first
            #expect(error?["pointer"] as? String == "/channel/url")
            #expect(error?["code"] as? String == "address-not-allowed")

            let malformed = try await service.http.request(
                "POST", "/v1/subscriptions", headers: scenario.authorization.merging(["Content-Type": "application/json"]) { a, _ in a },
                body: Data(#"{"filter": {"types": "alerts"}}"#.utf8)
            )
            #expect(malformed.status == 400)
            #expect((malformed.json["detail"] as? String)?.contains("/filter/types") == true)
        }
    }

    private func patch(_ service: ServiceUnderTest, _ scenario: NotificationsScenario, _ id: String, _ body: [String: Any]) async throws -> HTTPProbe.Reply {
        try await scenario.patch(service, subscription: id, body)
    }
}
