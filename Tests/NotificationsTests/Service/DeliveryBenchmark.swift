import AsyncHTTPClient
import CityEvents
import CityTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import PostgresNIO
import Synchronization
import Testing

/// The delivery benchmark (a separate command, not part of `make test`):
///
///     swift build -c release --build-tests
///     NOTIFICATIONS_BENCHMARK=20000 CITYDATA_BIN_DIR=$PWD/.build/release \
///         swift test -c release --skip-build --filter NotificationsTests.DeliveryBenchmark
///
/// (the receivers run in the test process: in a debug build they are the ceiling.)
///
/// Against the built `notifications` (use the release build) and a receiver in the test process (a
/// Hummingbird server answering 204, noting each delivery's latency from the event's `time`):
///
/// 1. **normal**: only the healthy subscription; alerts published at a steady pace
///    (`NOTIFICATIONS_BENCHMARK_RATE`, default 500/s) → the healthy subscription's p50/p99 latency;
/// 2. **beside a dead endpoint**: a second subscription to the same alerts whose receiver never
///    answers; the same pace → the healthy subscription's p50/p99 again, and the ratio to (1);
/// 3. **throughput**: `NOTIFICATIONS_BENCHMARK` alerts published at once → deliveries per second to
///    the healthy receiver, first publish to last delivery — once with the dead subscription paused
///    (only the healthy one is fanned out to: the target figure), once beside it (twice the queue);
/// 4. **raw limit**: the test process POSTs as many bodies to the healthy receiver over 64
///    connections → requests per second, and the ratio of (3) to it.
@Suite("Delivery benchmark")
struct DeliveryBenchmark {
    static let events = Int(ProcessInfo.processInfo.environment["NOTIFICATIONS_BENCHMARK"] ?? "") ?? 0
    static let rate = Int(ProcessInfo.processInfo.environment["NOTIFICATIONS_BENCHMARK_RATE"] ?? "") ?? 500

    /// What the healthy receiver saw: latency in seconds per webhook-id.
    final class Receipts: Sendable {
        private let latencies = Mutex<[String: Double]>([:])
        func note(_ id: String, latency: Double) { latencies.withLock { $0[id] = $0[id] ?? latency } }
        var count: Int { latencies.withLock { $0.count } }
        func snapshot() -> [String: Double] { latencies.withLock { $0 } }
    }

    @Test("deliveries per second, and the healthy subscription's latency with and without a dead one", .enabled(if: events > 0, "set NOTIFICATIONS_BENCHMARK=<events> to run"))
    func throughputAndIsolation() async throws {
        let scenario = try await NotificationsScenario.make()
        var environment = ["DELIVERY_CONCURRENCY": "128", "DELIVERY_CONCURRENCY_PER_SUBSCRIPTION": "64", "WEBHOOK_TIMEOUT_SECONDS": "30", "LOG_LEVEL": "warning"]
        // The service's own tuning variables pass through when set (e.g. FANOUT_MAX_BATCH=2000).
        for name in ["FANOUT_MAX_BATCH", "DELIVERY_PREFETCH"] {
            if let value = ProcessInfo.processInfo.environment[name] { environment[name] = value }
        }
        try await scenario.withService(environment: environment) { service in
          do {
            let receipts = Receipts()
            let healthyPort = try freeTCPPort(), deadPort = try freeTCPPort()
            let router = Router()
            router.post("hooks") { request, _ -> Response in
                let arrived = Date()
                let body = try await request.body.collect(upTo: 1 << 20)
                if let id = request.headers[HTTPField.Name("webhook-id")!], let time = Self.eventTime(in: body) {
                    receipts.note(id, latency: arrived.timeIntervalSince(time.date))
                }
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
                _ = try await scenario.subscribe(service, url: "http://127.0.0.1:\(healthyPort)/hooks")
                let paced = max(Self.rate * 10, 2_000)
                // Warm-up: the fan-out's first batch waits for its consumer group to settle.
                _ = try await Self.paced(200, rate: 200, scenario: scenario, receipts: receipts)

                var phaseStart = Date()
                let normal = try await Self.paced(paced, rate: Self.rate, scenario: scenario, receipts: receipts)
                print("notifications benchmark: alone, " + (try await Self.stages(service, since: phaseStart)))
                let deadId = try await scenario.subscribe(service, url: "http://127.0.0.1:\(deadPort)/hooks").id
                phaseStart = Date()
                let besideDead = try await Self.paced(paced, rate: Self.rate, scenario: scenario, receipts: receipts)
                print("notifications benchmark: beside a dead endpoint, " + (try await Self.stages(service, since: phaseStart)))

                // Throughput, first with the dead subscription paused (the fan-out queues for the healthy
                // one only: the target's "deliveries per second to a local receiver"), then beside it.
                let deadReply = try await scenario.patch(service, subscription: deadId, ["paused": true])
                #expect(deadReply.status == 200, "pausing the dead subscription: \(deadReply.body)")
                let alone = try await Self.burst(Self.events, scenario: scenario, receipts: receipts)
                print("notifications benchmark: throughput with the healthy subscription only, " + (try await Self.stages(service, since: alone.since)))
                let resumed = try await scenario.patch(service, subscription: deadId, ["paused": false])
                #expect(resumed.status == 200, "resuming the dead subscription: \(resumed.body)")
                let beside = try await Self.burst(Self.events, scenario: scenario, receipts: receipts)
                print("notifications benchmark: throughput beside the dead subscription, " + (try await Self.stages(service, since: beside.since)))
                let raw = try await Self.rawPostRate(port: healthyPort, count: Self.events, concurrency: 64)
                print(
                    """
                    notifications benchmark: healthy subscription at \(Self.rate) alerts/s, latency from the event's time to the receiver \
                    (\(paced) alerts each): alone p50 \(Self.ms(normal.p50)) ms, p99 \(Self.ms(normal.p99)) ms; beside a dead endpoint \
                    p50 \(Self.ms(besideDead.p50)) ms, p99 \(Self.ms(besideDead.p99)) ms (p99 ratio \(String(format: "%.2f", besideDead.p99 / normal.p99))); \
                    throughput (\(Self.events) alerts published at once, first publish to last delivery): healthy subscription only \
                    \(Int(alone.rate)) deliveries/s, beside the dead subscription \(Int(beside.rate)) deliveries/s; raw limit: the test process \
                    POSTing the same number of bodies to that receiver over 64 connections, \(Int(raw)) requests/s → ratios \
                    \(String(format: "%.2f", alone.rate / raw)) and \(String(format: "%.2f", beside.rate / raw))
                    """)
                group.cancelAll()
                let sender = try await service.http.get("/metrics").body.split(separator: "\n")
                    .filter { $0.hasPrefix("notifications_") && !$0.contains("_bucket") }
                print("notifications benchmark: the sender's metrics:\n" + sender.joined(separator: "\n"))
                let warnings = (service.child?.standardError ?? "").split(separator: "\n").suffix(20)
                print("notifications benchmark: the service's last log lines:\n" + warnings.joined(separator: "\n"))
                #expect(receipts.count == 2 * Self.events + 2 * paced + 200)
            }
          } catch {
            print("notifications benchmark failed; the service's last warnings:\n" + String((service.child?.standardError ?? "").suffix(6_000)))
            print("queue by subscription and status (count, leased, earliest next attempt):\n" + ((try? await Self.queueSummary(service)) ?? "unavailable"))
            throw error
          }
        }
    }

    /// The CloudEvent's `time`, found by a byte search rather than a JSON parse: the receiver should
    /// cost as little as the raw limit's requests do (it shares the machine with the service).
    static func eventTime(in body: ByteBuffer) -> Timestamp? {
        let marker = Array(#""time":""#.utf8)
        return body.withUnsafeReadableBytes { bytes -> Timestamp? in
            guard bytes.count > marker.count else { return nil }
            var index = 0
            while index + marker.count <= bytes.count {
                if bytes[index] == marker[0] && zip(marker.indices, index...).allSatisfy({ marker[$0] == bytes[$1] }) {
                    let start = index + marker.count
                    guard let end = bytes[start...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
                    return Timestamp(rfc3339: String(decoding: bytes[start..<end], as: UTF8.self))
                }
                index += 1
            }
            return nil
        }
    }

    /// Publishes `count` alerts at once (2,000 a batch) and waits for all of them at the healthy
    /// receiver; the rate is from the first publish to the last delivery.
    static func burst(_ count: Int, scenario: NotificationsScenario, receipts: Receipts) async throws -> (rate: Double, since: Date) {
        let before = receipts.count
        let since = Date()
        let started = ContinuousClock.now
        var published = 0
        while published < count {
            let chunk = min(2_000, count - published)
            try await scenario.publishAlerts(chunk)
            published += chunk
        }
        try await KafkaTestKit.eventually(within: .seconds(600), "every delivery to the healthy receiver") {
            receipts.count >= before + count
        }
        return (Double(count) / seconds(ContinuousClock.now - started), since)
    }

    /// Publishes `count` alerts at `rate` per second (chunks every 100 ms) and returns the
    /// p50/p99 latency of their deliveries to the healthy receiver.
    static func paced(_ count: Int, rate: Int, scenario: NotificationsScenario, receipts: Receipts) async throws -> (p50: Double, p99: Double) {
        let before = Set(receipts.snapshot().keys)
        let chunk = max(1, rate / 10)
        var published = 0
        let clock = ContinuousClock()
        var next = clock.now
        while published < count {
            let size = min(chunk, count - published)
            try await scenario.publishAlerts(size)
            published += size
            next = next.advanced(by: .milliseconds(100))
            try await clock.sleep(until: next)
        }
        try await KafkaTestKit.eventually(within: .seconds(300), "the paced alerts reached the healthy receiver") {
            receipts.count >= before.count + count
        }
        let latencies = receipts.snapshot().filter { !before.contains($0.key) }.map(\.value).sorted()
        func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        return (percentile(0.50), percentile(0.99))
    }

    /// The raw limit in the same run: `count` POSTs of a webhook-sized body to the healthy receiver
    /// from the test process, `concurrency` at a time (no `webhook-id`, so the receiver does not count
    /// them as deliveries); requests per second.
    static func rawPostRate(port: Int, count: Int, concurrency: Int) async throws -> Double {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let body = "{\"specversion\":\"1.0\",\"type\":\"city.indicator.alert.v1\",\"data\":\"" + String(repeating: "x", count: 600) + "\"}"
        let started = ContinuousClock.now
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<concurrency {
                    group.addTask {
                        for _ in stride(from: worker, to: count, by: concurrency) {
                            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/hooks")
                            request.method = .POST
                            request.headers.add(name: "content-type", value: "application/cloudevents+json")
                            request.body = .bytes(ByteBuffer(string: body))
                            let response = try await client.execute(request, timeout: .seconds(30))
                            _ = try await response.body.collect(upTo: 1 << 16)
                        }
                    }
                }
                try await group.waitForAll()
            }
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
        return Double(count) / seconds(ContinuousClock.now - started)
    }

    /// Where the time of the successful deliveries of events since `since` went: from the event's
    /// time to its queueing by the fan-out (`created_at`), and from there to the recorded success.
    static func stages(_ service: ServiceUnderTest, since: Date) async throws -> String {
        let schema = service.role.schema.quoted
        return try await TestDatabase.withAdminClient { client in
            let rows = try await client.query(
                PostgresQuery(unsafeSQL: """
                    SELECT count(*)::int, (count(*) FILTER (WHERE attempts > 1))::int,
                        coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM created_at - event_time)), 0)::float8,
                        coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM created_at - event_time)), 0)::float8,
                        coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM updated_at - created_at)), 0)::float8,
                        coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM updated_at - created_at)), 0)::float8
                    FROM \(schema).deliveries WHERE status = 'succeeded' AND event_time >= $1
                    """, binds: { var binds = PostgresBindings(); binds.append(since); return binds }()))
            for try await (count, retried, queuedP50, queuedP99, sentP50, sentP99) in rows.decode((Int, Int, Double, Double, Double, Double).self) {
                return "\(count) deliveries (\(retried) after more than one attempt): event → queued p50 \(ms(queuedP50)) ms, p99 \(ms(queuedP99)) ms; queued → success recorded p50 \(ms(sentP50)) ms, p99 \(ms(sentP99)) ms"
            }
            return "no deliveries"
        }
    }

    /// The deliveries table by subscription and status, for a failed run.
    static func queueSummary(_ service: ServiceUnderTest) async throws -> String {
        let schema = service.role.schema.quoted
        return try await TestDatabase.withAdminClient { client in
            var lines: [String] = []
            let rows = try await client.query(
                PostgresQuery(unsafeSQL: """
                    SELECT subscription_id::text, status, count(*)::int, (count(*) FILTER (WHERE lease_until > now()))::int,
                           coalesce(min(next_attempt_at)::text, '')
                    FROM \(schema).deliveries GROUP BY 1, 2 ORDER BY 1, 2
                    """))
            for try await (subscription, status, count, leased, next) in rows.decode((String, String, Int, Int, String).self) {
                lines.append("\(subscription) \(status) \(count) leased \(leased) next \(next)")
            }
            return lines.joined(separator: "\n")
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func ms(_ seconds: Double) -> String { String(Int((seconds * 1_000).rounded())) }
}
