import CityEvents
import CityKafka
import CityRuntime
import CityTestSupport
import Foundation
import IndicatorsCore
import Testing

/// Dead letters and alerts of the indicators process, read back from Kafka.
@Suite("Indicators service: dead letters and alerts", .serialized)
struct IndicatorsDeliveryTests {
    @Test("an observation beyond the lateness horizon and an undecodable record go to <topic>.dlq with the reason; the consumer goes on")
    func deadLetters() async throws {
        let topic = IndicatorsHarness.uniqueTopic()
        let source = KafkaTestKit.uniqueName("station")
        let newest = IndicatorsHarness.observation(source, at: "2025-03-05T10:00:00+07:00", ["pm25": 30])
        let tooOld = IndicatorsHarness.observation(source, at: "2025-03-03T09:00:00+07:00", ["pm25": 90])
        let after = IndicatorsHarness.observation(source, at: "2025-03-05T11:00:00+07:00", ["pm25": 35])
        try await IndicatorsHarness.publish([newest, tooOld], to: topic)
        try await KafkaTestKit.produce(topic: topic, garbage: "not an event")
        try await IndicatorsHarness.publish([after], to: topic)

        try await IndicatorsHarness.withService(topic: topic) { service in
            try await IndicatorsHarness.waitUntilProcessed(service, count: 4)
            let letters = try await IndicatorsHarness.read(
                TopicName.deadLetter(of: topic), keep: { _ in true }, until: { $0.count >= 2 })
            let decoded = letters.compactMap { try? EventCodec.decode(DeadLetterRecord.self, record: $0.eventRecord).payload }
            try #require(decoded.count == 2)
            let late = try #require(decoded.first { $0.error.hasPrefix("too_late") })
            #expect(late.error.contains("49 h"))
            #expect(late.originalTopic == topic)
            #expect(late.consumerGroup == "\(service.role.schema.name).indicators")
            #expect(late.originalRecord.flatMap { try? EventCodec.decode(ObservationRecorded.self, record: $0).payload } == tooOld)
            // `late.offset` is the original record's offset; find the dead letter by its content instead.
            let lateLetter = letters.first { letter in
                (try? EventCodec.decode(DeadLetterRecord.self, record: letter.eventRecord).payload.error.hasPrefix("too_late")) == true
            }
            let header = lateLetter?.headers.first { $0.name == "dlq-error" }
            #expect(header?.value.map { String(decoding: $0, as: UTF8.self) } == late.error)
            #expect(decoded.contains { $0.error.hasPrefix("undecodable") })

            // The rejected hour has no value; the records after both dead letters were processed.
            let values = IndicatorsHarness.values(try await service.http.get("/v1/indicators/us_aqi_hourly/values?source=\(source)"))
            #expect(values.compactMap { $0["periodStart"] as? String } == ["2025-03-05T10:00:00+07:00", "2025-03-05T11:00:00+07:00"])
        }
    }

    @Test("a VN_AQI episode raises an alert (escalating once per higher category) and recovers once, with hysteresis")
    func alertEpisode() async throws {
        let topic = IndicatorsHarness.uniqueTopic()
        let source = KafkaTestKit.uniqueName("station")
        let start = Timestamp(rfc3339: "2025-03-10T00:15:00+07:00")!
        // Four hours of heavy smog, then clean air: the 12-hour NowCast rises through the categories
        // and falls back over several hours; recovery needs two hours at or below 90.
        let levels: [Double] = Array(repeating: 300, count: 4) + Array(repeating: 5, count: 12)
        let observations = levels.enumerated().map { hour, pm25 in
            let time = Timestamp(secondsSinceEpoch: start.secondsSinceEpoch + Int64(hour) * 3_600, utcOffsetMinutes: 420)
            return IndicatorsHarness.observation(source, at: time.rfc3339, ["pm25": pm25])
        }
        try await IndicatorsHarness.publish(observations, to: topic)
        try await IndicatorsHarness.withService(topic: topic) { service in
            try await IndicatorsHarness.waitUntilProcessed(service, count: observations.count)
            let key = Array(IndicatorKey.make(indicatorId: "vn_aqi_hourly", area: nil, source: source).utf8)
            let records = try await IndicatorsHarness.read(
                TopicName.indicatorAlerts, keep: { $0.key == key }, until: { $0.contains { Self.alert($0)?.kind == .recovered } })
            // Let a late flap (which must not exist) arrive before judging.
            try await Task.sleep(for: .seconds(2))
            var seen: Set<String> = []
            let alerts = records.compactMap { record -> IndicatorAlert? in
                guard let id = record.headers.first(where: { $0.name == CloudEventHeaderName.id })?.value, seen.insert(String(decoding: id, as: UTF8.self)).inserted
                else { return nil }
                return Self.alert(record)
            }
            let raised = alerts.prefix { $0.kind == .raised }
            #expect(!raised.isEmpty)
            #expect(alerts.filter { $0.kind == .recovered }.count == 1)
            #expect(alerts.last?.kind == .recovered)
            #expect(raised.allSatisfy { $0.value > 100 })
            let bands = IndicatorRegistry.definition("vn_aqi_hourly")!.bands.map(\.code)
            let ranks = raised.compactMap { bands.firstIndex(of: $0.category) }
            #expect(ranks == ranks.sorted() && Set(ranks).count == ranks.count, "escalation only to higher categories, once each")
            #expect((alerts.last?.value ?? 1_000) <= 90)
        }
    }

    static func alert(_ record: KafkaConsumerRecord) -> IndicatorAlert? {
        try? EventCodec.decode(IndicatorAlert.self, record: record.eventRecord).payload
    }
}

extension KafkaTestKit {
    /// Produces a record that is not a CloudEvent.
    static func produce(topic: String, garbage: String) async throws {
        var configuration = KafkaProducerConfiguration(client: try IndicatorsHarness.client())
        configuration.allowTopicAutoCreation = true
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        let outcome = await producer.send([KafkaProducerRecord(topic: topic, key: Array("junk".utf8), value: Array(garbage.utf8))])
        await producer.shutdown()
        for result in outcome { _ = try result.get() }
    }
}
