import CityEvents
import CityKafka
import CityTestSupport
import Foundation
import Synchronization
import Testing

/// Latency from ingest's 202 to the alert on Kafka, with background load: catalog, ingest and
/// indicators run as processes; the test posts background observations to ingest at a steady rate
/// (low PM2.5, no alerts) and, every half second, a probe — four hours of PM2.5 250 µg/m³ for a new
/// station, which raises its VN_AQI alert — and times each probe from the 202 to the alert record
/// arriving at a consumer of `city.indicators.alerts.v1`. A measurement, not a check: run it on
/// purpose with `ALERT_LATENCY_BENCHMARK=1` (docs/benchmarks.md). `ALERT_LATENCY_BACKGROUND`
/// sets the background observations per second (10,000), `ALERT_LATENCY_PROBES` the probes (60).
@Suite("Alert latency benchmark")
struct AlertLatencyBenchmark {
    static let environment = ProcessInfo.processInfo.environment
    static var enabled: Bool { environment["ALERT_LATENCY_BENCHMARK"] == "1" }
    static let adminToken = "latency-admin-token-0123456789abcdefghijklmn"

    @Test(
        "ingest 202 → alert on Kafka, p50/p99, under background load",
        .enabled(if: enabled, "a benchmark: set ALERT_LATENCY_BENCHMARK=1 to run it"))
    func latency() async throws {
        let background = Int(Self.environment["ALERT_LATENCY_BACKGROUND"] ?? "") ?? 10_000
        let probes = Int(Self.environment["ALERT_LATENCY_PROBES"] ?? "") ?? 60
        let kafka = try LiveKafka.bootstrapServers()
        let run = String(UInt32.random(in: .min ... .max), radix: 16)
        let dataset = "latency-air-\(run)", owner = "latency-owner-\(run)"
        let topic = KafkaTestKit.uniqueName("test.latency.observations")
        try await IndicatorsHarness.publish([IndicatorsHarness.observation("seed-\(run)", at: "2025-01-01T00:00:00+07:00", ["pm25": 10], dataset: dataset)], to: topic)

        try await ServiceUnderTest.with("catalog", kafka: kafka, environment: ["ADMIN_TOKEN": Self.adminToken]) { catalog in
            let admin = ["Authorization": "Bearer \(Self.adminToken)"]
            try #require(try await catalog.http.post("/v1/agencies", json: ["id": owner, "name": "Sở \(owner)"], headers: admin).status == 201)
            let key = try await catalog.http.post("/v1/agencies/\(owner)/keys", json: ["role": "publisher"], headers: admin)
            let apiKey = try #require(key.json["apiKey"] as? String)
            let created = try await catalog.http.post("/v1/datasets", json: [
                "id": dataset, "agencyId": owner, "title": "Độ trễ cảnh báo", "theme": "environment", "accessLevel": "public",
                "updateFrequency": "PT1H", "license": "CC-BY-4.0", "timeColumn": "timestamp",
                "fields": [["quantity": "pm25", "unit": "ug/m3", "column": "pm25"]],
            ], headers: admin)
            try #require(created.status == 201, "dataset: \(created.body)")
            let publisher = ["Authorization": "Bearer \(apiKey)", "Content-Type": "application/json"]

            try await ServiceUnderTest.with("ingest", kafka: kafka, environment: ["INGEST_OBSERVATIONS_TOPIC": topic]) { ingest in
                try await ServiceUnderTest.with("indicators", kafka: kafka, environment: ["INDICATORS_OBSERVATIONS_TOPIC": topic]) { _ in
                    let alerts = AlertClock()
                    let watcher = try KafkaConsumer(
                        configuration: KafkaConsumerConfiguration(
                            client: KafkaClientConfiguration(bootstrapServers: kafka, clientID: "latency-bench", statisticsInterval: nil),
                            groupID: KafkaTestKit.uniqueName("latency-watch"), topics: [TopicName.indicatorAlerts]),
                        logger: KafkaTestKit.logger)
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for try await record in watcher.records {
                                guard let key = record.key.map({ String(decoding: $0, as: UTF8.self) }), key.contains("probe-\(run)-") else { continue }
                                alerts.arrived(key: key)
                            }
                        }
                        // Ingest accepts once it has the dataset and the key from the catalog's topics.
                        try await KafkaTestKit.eventually(within: .seconds(60), "ingest knows the publisher") {
                            try await ingest.http.request("POST", "/v1/observations", headers: publisher, body: Self.body(
                                [Self.record(dataset, "warmup-\(run)", minutesAgo: 2_500, pm25: 10)])).status == 202
                        }
                        let stop = Mutex(false)
                        group.addTask {
                            try await Self.backgroundLoad(rate: background, dataset: dataset, run: run, ingest: ingest, headers: publisher) { stop.withLock { $0 } }
                        }
                        try await Task.sleep(for: .seconds(5))  // the background reaches its pace
                        var posted: [(station: String, at: ContinuousClock.Instant)] = []
                        for index in 0..<probes {
                            let station = "probe-\(run)-\(index)"
                            let records = (0..<4).map { hour in Self.record(dataset, station, minutesAgo: (3 - hour) * 60 + 1, pm25: 250) }
                            let reply = try await ingest.http.request("POST", "/v1/observations", headers: publisher, body: Self.body(records))
                            if reply.status == 202 { posted.append((station, .now)) } else { Issue.record("probe \(index): \(reply.status) \(reply.body.prefix(200))") }
                            try await Task.sleep(for: .milliseconds(500))
                        }
                        let deadline = ContinuousClock.now + .seconds(120)
                        while ContinuousClock.now < deadline && alerts.count(matching: posted.map(\.station)) < posted.count {
                            try await Task.sleep(for: .milliseconds(100))
                        }
                        stop.withLock { $0 = true }
                        let latencies = posted.compactMap { probe in alerts.first(for: probe.station).map { Self.milliseconds($0 - probe.at) } }.sorted()
                        func percentile(_ p: Double) -> Double { latencies.isEmpty ? .nan : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
                        let sent = Self.backgroundSent.withLock { $0 }
                        print("""
                            alert latency benchmark: background \(background) observations/s requested, \(sent.records) posted in \
                            \(String(format: "%.1f", sent.seconds)) s (\(Int(Double(sent.records) / max(sent.seconds, 0.001)))/s accepted); \
                            \(latencies.count) of \(posted.count) probes alerted: 202 → alert on Kafka p50 \(Int(percentile(0.5))) ms, \
                            p99 \(Int(percentile(0.99))) ms, max \(Int(latencies.last ?? .nan)) ms
                            """)
                        #expect(latencies.count == posted.count, "every probe's alert arrived within 120 s of the last probe")
                        await watcher.close()  // ends the watcher's iteration, so the group can finish
                        group.cancelAll()
                    }
                }
            }
        }
    }

    /// Background records posted and the time they took (for the printout).
    static let backgroundSent = Mutex((records: 0, seconds: 0.0))

    /// Posts `rate` observations per second in ten requests a second — low PM2.5 at 1,000 stations,
    /// one minute of event time per request — until `stopped` says so. Requests run two at a time so
    /// that a slow answer does not stop the clock.
    static func backgroundLoad(
        rate: Int, dataset: String, run: String, ingest: ServiceUnderTest, headers: [String: String], stopped: @escaping @Sendable () -> Bool
    ) async throws {
        guard rate > 0 else { return }
        let perRequest = max(1, rate / 10)
        let started = ContinuousClock.now
        var minute = 0
        try await withThrowingTaskGroup(of: Int.self) { group in
            var inFlight = 0
            var sent = 0
            while !stopped() {
                let due = started + .milliseconds(100 * minute)
                if due > .now { try await Task.sleep(until: due) }
                let body = body((0..<perRequest).map { index in
                    record(dataset, "bg-\(run)-\(index % 1_000)", minutesAgo: 2_000 - minute, pm25: 20 + Double(index % 7))
                })
                minute += 1
                if inFlight == 2, let done = try await group.next() { sent += done; inFlight -= 1 }
                group.addTask {
                    let reply = try await ingest.http.request("POST", "/v1/observations", headers: headers, body: body)
                    return reply.status == 202 ? perRequest : 0
                }
                inFlight += 1
                backgroundSent.withLock { $0 = (sent, Self.seconds(ContinuousClock.now - started)) }
            }
            for try await done in group { sent += done }
            backgroundSent.withLock { $0 = (sent, Self.seconds(ContinuousClock.now - started)) }
        }
    }

    static func record(_ dataset: String, _ station: String, minutesAgo: Int, pm25: Double) -> [String: Any] {
        let time = Timestamp(secondsSinceEpoch: Int64(Date().timeIntervalSince1970) - Int64(minutesAgo) * 60, utcOffsetMinutes: 420)
        return [
            "datasetId": dataset, "sourceId": station, "observedAt": time.rfc3339,
            "location": ["lat": 21.0285, "lon": 105.8542], "measurements": [["quantity": "pm25", "value": pm25, "unit": "ug/m3"]],
        ]
    }

    static func body(_ records: [[String: Any]]) -> Data { (try? JSONSerialization.data(withJSONObject: records)) ?? Data() }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func milliseconds(_ duration: Duration) -> Double { seconds(duration) * 1_000 }
}

/// When the first alert of each probe station arrived (alert keys are `<indicator>/<station>`).
final class AlertClock: Sendable {
    private let arrivals = Mutex<[String: ContinuousClock.Instant]>([:])

    func arrived(key: String) {
        guard let station = key.split(separator: "/").last.map(String.init) else { return }
        arrivals.withLock { if $0[station] == nil { $0[station] = .now } }
    }

    func first(for station: String) -> ContinuousClock.Instant? { arrivals.withLock { $0[station] } }

    func count(matching stations: [String]) -> Int { arrivals.withLock { map in stations.filter { map[$0] != nil }.count } }
}
