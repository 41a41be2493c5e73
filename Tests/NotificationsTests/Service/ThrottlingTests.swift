import CityEvents
import CityTestSupport
import Foundation
import Testing

/// Throttling per subscription (`throttleSeconds`), against the built service and a real receiver.
@Suite("Throttled subscriptions")
struct ThrottlingTests {
    @Test("one delivery per interval and key, the latest event winning; the events in between are superseded; other keys are not held")
    func latestEventWinsPerInterval() async throws {
        let scenario = try await NotificationsScenario.make()
        try await scenario.withService { service in
            let port = try freeTCPPort()
            let filter: [String: Any] = ["types": [EventType.indicatorAlert], "datasetIds": [scenario.datasetId]]
            let channel = ["type": "webhook", "url": "http://127.0.0.1:\(port)/hooks"]
            let refused = try await service.http.post(
                "/v1/subscriptions", json: ["filter": filter, "channel": channel, "throttleSeconds": -1], headers: scenario.authorization)
            #expect(refused.status == 422)
            #expect(refused.body.contains("/throttleSeconds"), "\(refused.body)")

            let created = try await service.http.post(
                "/v1/subscriptions", json: ["filter": filter, "channel": channel, "throttleSeconds": 15], headers: scenario.authorization)
            try #require(created.status == 201, "\(created.body)")
            let id = try #require(created.json["id"] as? String)
            let receiver = try await WebhookReceiver(port: port, secret: try #require(created.json["secret"] as? String))
            defer { receiver.stop() }
            let shown = try await service.http.get("/v1/subscriptions/\(id)", headers: scenario.authorization)
            #expect(shown.json["throttleSeconds"] as? Int == 15)

            let publishedFirst = Date().timeIntervalSince1970  // the interval starts when it is queued, after this
            let first = try await scenario.publishAlerts(1, source: "station-throttled")
            try await KafkaTestKit.eventually(within: .seconds(30), "the first event of the key goes at once") {
                receiver.entries.contains { $0.eventId == first[0] }
            }
            // Inside the 15 s interval however slow the machine: published as soon as the first arrived.
            let burst = try await scenario.publishAlerts(4, source: "station-throttled")
            let other = try await scenario.publishAlerts(1, source: "station-other")
            try await KafkaTestKit.eventually(within: .seconds(30), "another key is not held by this one's interval") {
                receiver.entries.contains { $0.eventId == other[0] }
            }
            try await KafkaTestKit.eventually(within: .seconds(60), "the latest event of the burst arrives when the interval ends") {
                receiver.entries.contains { $0.eventId == burst.last }
            }
            try await Task.sleep(for: .seconds(2))  // anything else would have arrived by now

            let received = receiver.entries
            #expect(Set(received.compactMap(\.eventId)) == Set(first + other + [burst.last!]), "exactly the first, the latest and the other key's")
            #expect(received.allSatisfy { $0.verified })
            let latestAt = try #require(received.first { $0.eventId == burst.last }?.at)
            #expect(latestAt - publishedFirst >= 14.9, "held until the 15 s interval ended: \(latestAt - publishedFirst) s after the first")

            let log = try await scenario.deliveries(service, subscription: id, query: "?limit=100")
            let superseded = log.filter { $0["status"] as? String == "superseded" }
            #expect(Set(superseded.compactMap { $0["eventId"] as? String }) == Set(burst.dropLast()))
            #expect(superseded.allSatisfy { ($0["error"] as? String)?.hasPrefix("throttled:") == true })
            #expect(log.filter { $0["status"] as? String == "succeeded" }.count == 3)
        }
    }
}
