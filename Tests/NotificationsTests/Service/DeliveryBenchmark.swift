import CityTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization
import Testing

/// The delivery benchmark (a separate command, not part of `make test`):
///
///     NOTIFICATIONS_BENCHMARK=10000 swift test --skip-build --filter NotificationsTests.DeliveryBenchmark
///
/// Publishes that many alerts, each matching two subscriptions: a healthy one whose receiver (a
/// Hummingbird server in the test process, answering 204) counts deliveries, and a dead one whose
/// receiver never answers. Prints deliveries per second to the healthy receiver, from the first
/// publish to the last delivery (fan-out, queue, signing, HTTP and outcome recording included).
@Suite("Delivery benchmark")
struct DeliveryBenchmark {
    static let events = Int(ProcessInfo.processInfo.environment["NOTIFICATIONS_BENCHMARK"] ?? "") ?? 0

    @Test("deliveries per second to a local receiver beside a dead one", .enabled(if: events > 0, "set NOTIFICATIONS_BENCHMARK=<events> to run"))
    func throughput() async throws {
        let scenario = try await NotificationsScenario.make()
        let environment = ["DELIVERY_CONCURRENCY": "128", "DELIVERY_CONCURRENCY_PER_SUBSCRIPTION": "64", "WEBHOOK_TIMEOUT_SECONDS": "5", "LOG_LEVEL": "error"]
        try await scenario.withService(environment: environment) { service in
            let received = Mutex(Set<String>())
            let healthyPort = try freeTCPPort(), deadPort = try freeTCPPort()
            let router = Router()
            router.post("hooks") { request, _ -> Response in
                if let id = request.headers[HTTPField.Name("webhook-id")!] { received.withLock { _ = $0.insert(id) } }
                return Response(status: .noContent)
            }
            let deadRouter = Router()
            deadRouter.post("hooks") { _, _ -> Response in
                try await Task.sleep(for: .seconds(3600))
                return Response(status: .noContent)
            }
            let healthy = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: healthyPort)))
            let dead = Application(router: deadRouter, configuration: .init(address: .hostname("127.0.0.1", port: deadPort)))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await healthy.runService() }
                group.addTask { try await dead.runService() }
                try await Task.sleep(for: .seconds(1))
                _ = try await scenario.subscribe(service, url: "http://127.0.0.1:\(deadPort)/hooks")
                _ = try await scenario.subscribe(service, url: "http://127.0.0.1:\(healthyPort)/hooks")

                let started = ContinuousClock.now
                var published = 0
                while published < Self.events {
                    let count = min(2000, Self.events - published)
                    try await scenario.publishAlerts(count)
                    published += count
                }
                try await KafkaTestKit.eventually(within: .seconds(600), "every delivery to the healthy receiver") {
                    received.withLock { $0.count } >= Self.events
                }
                let elapsed = ContinuousClock.now - started
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                let rate = Double(Self.events) / seconds
                print("notifications benchmark: \(Self.events) deliveries to the healthy receiver in \(String(format: "%.2f", seconds)) s = \(Int(rate)) deliveries/s (dead subscription alongside)")
                group.cancelAll()
                #expect(received.withLock { $0.count } == Self.events)
            }
        }
    }
}
