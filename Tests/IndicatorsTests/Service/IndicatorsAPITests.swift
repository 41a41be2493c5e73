import CityEvents
import CityKafka
import CityRuntime
import CityTestSupport
import Foundation
import IndicatorsCore
import Testing

/// The indicators process: observations in on Kafka, values out through the API.
@Suite("Indicators service: API", .serialized)
struct IndicatorsAPITests {
    @Test("the catalog, one definition, and precise problems for an unknown indicator and a bad time range")
    func catalogAndProblems() async throws {
        let topic = IndicatorsHarness.uniqueTopic()
        try await IndicatorsHarness.publish([IndicatorsHarness.observation(KafkaTestKit.uniqueName("station"), at: "2025-03-01T10:10:00+07:00", ["pm25": 12])], to: topic)
        try await IndicatorsHarness.withService(topic: topic) { service in
            let catalog = try await service.http.get("/v1/indicators")
            #expect(catalog.status == 200)
            let ids = (catalog.json["indicators"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
            #expect(ids == IndicatorRegistry.all.map(\.id))

            let one = try await service.http.get("/v1/indicators/vn_aqi_hourly")
            #expect(one.status == 200)
            #expect(one.json["id"] as? String == "vn_aqi_hourly")

            let unknown = try await service.http.get("/v1/indicators/no_such_index/values")
            #expect(unknown.status == 404)
            #expect(unknown.contentType == "application/problem+json")
            #expect((unknown.json["detail"] as? String)?.contains("no_such_index") == true)

            let reversed = try await service.http.get(
                "/v1/indicators/vn_aqi_hourly/values?from=2025-03-02T00:00:00%2B07:00&to=2025-03-01T00:00:00%2B07:00")
            #expect(reversed.status == 400)
            #expect(reversed.json["title"] as? String == "Bad time range")

            let unreadable = try await service.http.get("/v1/indicators/vn_aqi_hourly/values?from=yesterday")
            #expect(unreadable.status == 400)
            #expect((unreadable.json["detail"] as? String)?.contains("from") == true)

            let badLimit = try await service.http.get("/v1/indicators/vn_aqi_hourly/values?limit=0")
            #expect(badLimit.status == 400)
        }
    }

    @Test("published observations become hourly values on the API, versioned per change, and the station on the GeoJSON map")
    func observationsBecomeValues() async throws {
        let topic = IndicatorsHarness.uniqueTopic()
        let source = KafkaTestKit.uniqueName("station")
        let observations = [
            IndicatorsHarness.observation(source, at: "2025-03-01T10:10:00+07:00", ["pm25": 40, "pm10": 70]),
            IndicatorsHarness.observation(source, at: "2025-03-01T10:40:00+07:00", ["pm25": 50, "pm10": 90]),
            IndicatorsHarness.observation(source, at: "2025-03-01T11:10:00+07:00", ["pm25": 60, "pm10": 100]),
        ]
        try await IndicatorsHarness.publish(observations, to: topic)
        try await IndicatorsHarness.withService(topic: topic) { service in
            try await IndicatorsHarness.waitUntilProcessed(service, count: observations.count)
            let reply = try await service.http.get("/v1/indicators/us_aqi_hourly/values?source=\(source)")
            #expect(reply.status == 200)
            #expect(reply.json["indicatorId"] as? String == "us_aqi_hourly")
            let values = IndicatorsHarness.values(reply)
            try #require(values.count == 2)

            // The oracle: the core engine over the same observations' hourly aggregates.
            let expected = try Self.expected("us_aqi_hourly", source: source, observations: observations, hour: "2025-03-01T10:00:00+07:00")
            #expect(values[0]["periodStart"] as? String == "2025-03-01T10:00:00+07:00")
            #expect(values[0]["periodEnd"] as? String == "2025-03-01T11:00:00+07:00")
            #expect(values[0]["value"] as? Double == expected.value)
            #expect(values[0]["category"] as? String == expected.band?.code)
            #expect(values[0]["source"] as? String == source)
            #expect(values[0]["version"] as? Int == 2, "two observations in the hour, two different means")
            #expect(values[0]["complete"] as? Bool == expected.complete)
            #expect(values[1]["version"] as? Int == 1)

            let window = try await service.http.get(
                "/v1/indicators/us_aqi_hourly/values?source=\(source)&from=2025-03-01T11:00:00%2B07:00&to=2025-03-01T12:00:00%2B07:00")
            #expect(IndicatorsHarness.values(window).map { $0["periodStart"] as? String } == ["2025-03-01T11:00:00+07:00"])
            let byArea = try await service.http.get("/v1/indicators/us_aqi_hourly/values?area=01&source=\(source)")
            #expect(IndicatorsHarness.values(byArea).count == 2)
            let otherArea = try await service.http.get("/v1/indicators/us_aqi_hourly/values?area=79&source=\(source)")
            #expect(IndicatorsHarness.values(otherArea).isEmpty)

            let map = try await service.http.get("/v1/air-quality/latest")
            #expect(map.status == 200)
            #expect(map.contentType == "application/geo+json")
            #expect(map.json["type"] as? String == "FeatureCollection")
            let feature = (map.json["features"] as? [[String: Any]])?.first { $0["id"] as? String == source }
            let geometry = feature?["geometry"] as? [String: Any]
            #expect(geometry?["coordinates"] as? [Double] == [IndicatorsHarness.hanoi.lon, IndicatorsHarness.hanoi.lat])
            let properties = feature?["properties"] as? [String: Any]
            let latestUS = properties?["us_aqi_hourly"] as? [String: Any]
            #expect(latestUS?["periodStart"] as? String == "2025-03-01T11:00:00+07:00")
            #expect(properties?["vn_aqi_hourly"] as? [String: Any] != nil)
        }
    }

    @Test("a late observation within the horizon re-opens its hour: the value is published again as version 2")
    func lateObservationRevises() async throws {
        let topic = IndicatorsHarness.uniqueTopic()
        let source = KafkaTestKit.uniqueName("station")
        let first = [
            IndicatorsHarness.observation(source, at: "2025-03-01T10:10:00+07:00", ["pm25": 40]),
            IndicatorsHarness.observation(source, at: "2025-03-01T12:10:00+07:00", ["pm25": 50]),
        ]
        let late = IndicatorsHarness.observation(source, at: "2025-03-01T10:30:00+07:00", ["pm25": 80])
        try await IndicatorsHarness.publish(first, to: topic)
        try await IndicatorsHarness.withService(topic: topic) { service in
            try await IndicatorsHarness.waitUntilProcessed(service, count: 2)
            let path = "/v1/indicators/us_aqi_hourly/values?source=\(source)&to=2025-03-01T11:00:00%2B07:00"
            let before = IndicatorsHarness.values(try await service.http.get(path))
            try #require(before.count == 1)
            #expect(before[0]["version"] as? Int == 1)

            try await IndicatorsHarness.publish([late], to: topic)
            try await IndicatorsHarness.waitUntilProcessed(service, count: 3)
            let after = IndicatorsHarness.values(try await service.http.get(path))
            try #require(after.count == 1)
            let expected = try Self.expected("us_aqi_hourly", source: source, observations: first + [late], hour: "2025-03-01T10:00:00+07:00")
            #expect(after[0]["version"] as? Int == 2)
            #expect(after[0]["value"] as? Double == expected.value)
            #expect(after[0]["value"] as? Double != before[0]["value"] as? Double)

            // Version 2 was also published on city.indicators.values.v1 under the value's key.
            let key = IndicatorKey.make(indicatorId: "us_aqi_hourly", area: nil, source: source)
            let events = try await IndicatorsHarness.read(
                TopicName.indicatorValues, keep: { $0.key == Array(key.utf8) },
                until: { records in records.contains { Self.version(of: $0, start: "2025-03-01T10:00:00+07:00") == 2 } })
            #expect(events.contains { Self.version(of: $0, start: "2025-03-01T10:00:00+07:00") == 1 })
        }
    }

    /// The core's result for one hourly value over the aggregates of `observations`.
    static func expected(_ indicator: String, source: String, observations: [ObservationRecorded], hour: String) throws -> IndicatorResult {
        let clock = LocalClock.vietnam
        var aggregates: [String: [Int64: HourlyAggregate]] = [:]
        for observation in observations {
            let start = clock.hourStart(of: observation.observedAt).secondsSinceEpoch
            var existing: [String: HourlyAggregate] = [:]
            for (quantity, byHour) in aggregates { if let aggregate = byHour[start] { existing[quantity] = aggregate } }
            for (quantity, aggregate) in HourlyAggregate.update(existing, with: observation, clock: clock) {
                aggregates[quantity, default: [:]][start] = aggregate
            }
        }
        let series = HourlySeries(source: source, aggregates: aggregates.values.flatMap(\.values))
        let outcome = try IndicatorEngine(clock: clock).compute(indicator, source: source, periodStart: Timestamp(rfc3339: hour)!, series: series)
        return try #require(outcome.result)
    }

    static func version(of record: KafkaConsumerRecord, start: String) -> Int? {
        guard let event = try? EventCodec.decode(IndicatorComputed.self, record: record.eventRecord),
            event.payload.periodStart.isSameInstant(as: Timestamp(rfc3339: start)!)
        else { return nil }
        return event.payload.version
    }
}
