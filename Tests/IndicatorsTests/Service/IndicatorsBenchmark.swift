import CityEvents
import CityKafka
import CityRuntime
import CityTestSupport
import Foundation
import Testing

/// Throughput of the indicators consumer against the raw consume rate of the same topic. A
/// measurement, not a check: run it on purpose with
/// `INDICATORS_BENCHMARK=1 swift test --filter IndicatorsBenchmark` (figures in docs/benchmarks.md).
@Suite("Indicators benchmark")
struct IndicatorsBenchmark {
    static var enabled: Bool { ProcessInfo.processInfo.environment["INDICATORS_BENCHMARK"] == "1" }

    @Test(
        "observations per second through the exactly-once consumer vs the raw consume rate",
        .enabled(if: enabled, "a benchmark: set INDICATORS_BENCHMARK=1 to run it"))
    func throughput() async throws {
        let stations = Int(ProcessInfo.processInfo.environment["INDICATORS_BENCHMARK_STATIONS"] ?? "") ?? 20
        let hours = Int(ProcessInfo.processInfo.environment["INDICATORS_BENCHMARK_HOURS"] ?? "") ?? 500
        let rows = try HanoiRealDataTests.march()
        let start = Timestamp(rfc3339: "2025-03-01T00:20:00+07:00")!
        let prefix = KafkaTestKit.uniqueName("bench")
        var observations: [ObservationRecorded] = []
        for hour in 0..<hours {
            for station in 0..<stations {
                let row = rows[(hour + station * 7) % rows.count]
                let time = Timestamp(secondsSinceEpoch: start.secondsSinceEpoch + Int64(hour) * 3_600, utcOffsetMinutes: 420)
                observations.append(IndicatorsHarness.observation("\(prefix)-\(station)", at: time.rfc3339, row.values))
            }
        }
        let topic = IndicatorsHarness.uniqueTopic()
        try await IndicatorsHarness.publish(observations, to: topic)
        let total = observations.count

        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(client: try IndicatorsHarness.client(), groupID: KafkaTestKit.uniqueName("bench-raw"), topics: [topic]),
            logger: KafkaTestKit.logger)
        var first: ContinuousClock.Instant?
        var read = 0
        for try await _ in consumer.records {
            if first == nil { first = .now }
            read += 1
            if read == total { break }
        }
        let raw = Double(total - 1) / Self.seconds(ContinuousClock.now - (first ?? .now))
        await consumer.close()

        let (rate, events) = try await IndicatorsHarness.withService(topic: topic, environment: ["INDICATORS_MAX_BATCH": "500"]) { service in
            var began: (ContinuousClock.Instant, Int)?
            while true {
                let committed = await IndicatorsHarness.committed(service)
                if began == nil, committed > 0 { began = (.now, committed) }
                if committed >= total { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            let (at, base) = try #require(began)
            let rate = Double(total - base) / Self.seconds(ContinuousClock.now - at)
            let events = await KafkaTestKit.count("SELECT count(*)::int8 FROM \(service.role.schema.quoted).outbox")
            return (rate, events)
        }
        print("indicators benchmark: \(total) observations (\(stations) stations × \(hours) hours, 5 pollutants); raw consume \(Int(raw)) records/s; indicators consumer \(Int(rate)) observations/s (\(String(format: "%.1f", Double(events) / Double(total))) outbox events per observation, \(events) in all)")
        #expect(rate > 0)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
