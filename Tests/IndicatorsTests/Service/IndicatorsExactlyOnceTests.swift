import CityEvents
import CityKafka
import CityRuntime
import CityTestSupport
import Foundation
import IndicatorsCore
import Testing

/// THE exactly-once test: the same input processed by an uninterrupted service and by one killed
/// (SIGKILL) several times mid-stream gives identical stored state and identical publications.
@Suite("Indicators service: exactly-once effect", .serialized)
struct IndicatorsExactlyOnceTests {
    /// A week of real Hanoi data (IQAir, March 2025) as one station, with what a live stream also
    /// holds: a redelivered record, observations arriving late within the horizon (revisions) and
    /// one beyond it (dead letter).
    static func input(source: String) throws -> [ObservationRecorded] {
        let rows = try HanoiRealDataTests.march().filter { $0.observedAt < Timestamp(rfc3339: "2025-03-08T00:00:00+07:00")! }
        var observations = rows.map { row in
            ObservationRecorded(
                datasetId: "iqair-hanoi", agencyId: "test-agency", sourceId: source, observedAt: row.observedAt,
                location: IndicatorsHarness.hanoi,
                measurements: row.values.sorted { $0.key < $1.key }.map { ObservationMeasurement(quantity: $0.key, value: $0.value, unit: "µg/m³") })
        }
        let count = observations.count
        let lateWithinHorizon = [count - 30, count - 29, count - 20].map { observations[$0] }
        let beyondHorizon = observations[40]
        observations.removeAll { candidate in lateWithinHorizon.contains(candidate) || candidate == beyondHorizon }
        observations.insert(observations[observations.count - 5], at: observations.count - 2)  // redelivered
        return observations + lateWithinHorizon + [beyondHorizon]
    }

    @Test("uninterrupted and SIGKILLed-and-restarted runs store the same values and publish the same (value id, version) set")
    func killedRunMatchesUninterruptedRun() async throws {
        let topic = IndicatorsHarness.uniqueTopic()
        let source = KafkaTestKit.uniqueName("hanoi")
        let observations = try Self.input(source: source)
        try await IndicatorsHarness.publish(observations, to: topic)
        let settings = ["INDICATORS_MAX_BATCH": "4"]

        let uninterrupted = try await IndicatorsHarness.withService(topic: topic, environment: settings) { service in
            try await IndicatorsHarness.waitUntilProcessed(service, count: observations.count)
            return try await Snapshot(of: service, topic: topic)
        }

        let (killed, kills) = try await IndicatorsHarness.withService(topic: topic, environment: settings) { service in
            var kills = 0
            var committed = 0
            while kills < 4 {
                // Kill only once this run has made progress since the last start, and before the end.
                try await KafkaTestKit.eventually(within: .seconds(60), "progress after restart") {
                    await IndicatorsHarness.committed(service) > committed
                }
                try await Task.sleep(for: .milliseconds(Int.random(in: 0...60)))
                committed = await IndicatorsHarness.committed(service)
                if committed >= observations.count { break }
                try await service.kill()
                kills += 1
                try await service.start()
            }
            try await IndicatorsHarness.waitUntilProcessed(service, count: observations.count)
            return (try await Snapshot(of: service, topic: topic), kills)
        }

        #expect(kills >= 2, "the run was killed mid-stream \(kills) times; it finished too fast to be interrupted more")
        #expect(!uninterrupted.values.isEmpty)
        #expect(uninterrupted.revisions > 0, "late observations produced new versions")
        #expect(uninterrupted.deadLetteredOffsets.count == 1)
        #expect(killed.values == uninterrupted.values)
        #expect(killed.aggregates == uninterrupted.aggregates)
        #expect(killed.alertStates == uninterrupted.alertStates)
        #expect(killed.published == uninterrupted.published)
        #expect(killed.publishedRows == killed.published.count, "no (value id, version) was written to the outbox twice")
        #expect(killed.alerts == uninterrupted.alerts)
        #expect(killed.deadLetteredOffsets == uninterrupted.deadLetteredOffsets)
    }

    /// What a run left in its schema, without processing times.
    struct Snapshot: Sendable {
        var values: [String]
        var aggregates: [String]
        var alertStates: [String]
        /// `<value id> v<version>` of every value event in the outbox, sorted.
        var published: [String]
        var publishedRows: Int
        var alerts: [String]
        var deadLetteredOffsets: [String]
        var revisions: Int

        init(of service: ServiceUnderTest, topic: String) async throws {
            let schema = service.role.schema.quoted
            values = try await IndicatorsHarness.texts(
                "SELECT concat_ws(' ', value_id, 'v' || version, value, category, complete, dominant_pollutant, content::text) FROM \(schema).indicator_values ORDER BY value_id")
            aggregates = try await IndicatorsHarness.texts(
                "SELECT concat_ws(' ', source_id, quantity, hour_start, sum, count, minimum, maximum) FROM \(schema).hourly_aggregates ORDER BY 1")
            alertStates = try await IndicatorsHarness.texts("SELECT concat_ws(' ', indicator_id, state::text) FROM \(schema).alert_states ORDER BY 1")
            func events(_ topic: String) -> String {
                "(SELECT convert_from(value, 'UTF8')::jsonb AS e, ce_id FROM \(schema).outbox WHERE topic = '\(topic)') x"
            }
            published = try await IndicatorsHarness.texts(
                "SELECT DISTINCT concat_ws(' ', e->>'indicatorId', e->>'source', e->>'periodStart', 'v' || (e->>'version')) FROM \(events(TopicName.indicatorValues)) ORDER BY 1")
            publishedRows = try await IndicatorsHarness.texts("SELECT count(*)::text FROM \(events(TopicName.indicatorValues))").first.flatMap { Int($0) } ?? -1
            alerts = try await IndicatorsHarness.texts("SELECT DISTINCT ce_id FROM \(events(TopicName.indicatorAlerts)) ORDER BY 1")
            deadLetteredOffsets = try await IndicatorsHarness.texts(
                "SELECT concat_ws(' ', e->>'partition', e->>'offset', e->>'error') FROM \(events(TopicName.deadLetter(of: topic))) ORDER BY 1")
            revisions = try await IndicatorsHarness.texts("SELECT count(*)::text FROM \(schema).indicator_values WHERE version > 1").first.flatMap { Int($0) } ?? 0
        }
    }
}
