import CityEvents
import Foundation
import IndicatorsCore
import Testing

@Suite("Indicator engine, revisions and the registry")
struct IndicatorEngineTests {
    static func ts(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }
    let engine = IndicatorEngine()

    func series(_ quantity: String, from start: String, _ values: [Double?], source: String = "hanoi") -> HourlySeries {
        var series = HourlySeries(source: source)
        let first = Self.ts(start)
        for (offset, value) in values.enumerated() {
            if let value { series.set(quantity, hourStart: LocalClock.vietnam.hour(first, plus: offset), mean: value) }
        }
        return series
    }

    @Test("vn_aqi_hourly from a series: sub-indices, NowCast, dominant pollutant and Vietnamese category")
    func vnHourly() throws {
        var input = series("pm25", from: "2025-03-01T00:00:00+07:00", Array(repeating: 57.5, count: 12))
        input.set("no2", hourStart: Self.ts("2025-03-01T11:00:00+07:00"), mean: 118.7)
        let result = try #require(try engine.compute("vn_aqi_hourly", source: "hanoi", periodStart: Self.ts("2025-03-01T11:00:00+07:00"), series: input).result)
        #expect(result.value == 113)
        #expect(result.components["pm25"] == 113)
        #expect(result.components["no2"] == 59)
        #expect(result.components["pm25_concentration"] == 57.5)
        #expect(result.dominant == "pm25")
        #expect(result.band?.name.vi == "Kém")
        #expect(result.complete)
        #expect(result.periodEnd.rfc3339 == "2025-03-01T12:00:00+07:00")
    }

    @Test("no value when the NowCast's 2-of-3 rule fails, with the reason")
    func noValue() throws {
        let input = series("pm25", from: "2025-03-01T00:00:00+07:00", [30, 30, 30, 30, 30, 30, 30, 30, 30, 30])
        let outcome = try engine.compute("vn_aqi_hourly", source: "hanoi", periodStart: Self.ts("2025-03-01T11:00:00+07:00"), series: input)
        guard case .noValue(_, let reason) = outcome else {
            Issue.record("expected no value")
            return
        }
        #expect(reason.contains("2 of the 3"))
    }

    @Test("misaligned periods and unknown indicators are refused")
    func errors() {
        #expect(throws: IndicatorError.self) {
            try engine.compute("vn_aqi_hourly", source: "s", periodStart: Self.ts("2025-03-01T11:30:00+07:00"), series: HourlySeries(source: "s"))
        }
        #expect(throws: IndicatorError.unknownIndicator("nope")) {
            try engine.compute("nope", source: "s", periodStart: Self.ts("2025-03-01T11:00:00+07:00"), series: HourlySeries(source: "s"))
        }
    }

    @Test("the hours to load cover the NowCast look-back")
    func hoursToLoad() throws {
        let range = try engine.hoursToLoad("vn_aqi_hourly", periodStart: Self.ts("2025-03-01T11:00:00+07:00"))
        #expect(range.from.rfc3339 == "2025-03-01T00:00:00+07:00")
        #expect(range.to.rfc3339 == "2025-03-01T12:00:00+07:00")
    }

    @Test("pm25_24h_mean: 17 hours incomplete, 18 complete")
    func dailyCapture() throws {
        let day = Self.ts("2025-03-01T00:00:00+07:00")
        let seventeen = try #require(try engine.compute("pm25_24h_mean", source: "hanoi", periodStart: day, series: series("pm25", from: "2025-03-01T00:00:00+07:00", Array(repeating: 20, count: 17))).result)
        let eighteen = try #require(try engine.compute("pm25_24h_mean", source: "hanoi", periodStart: day, series: series("pm25", from: "2025-03-01T00:00:00+07:00", Array(repeating: 20, count: 18))).result)
        #expect(!seventeen.complete)
        #expect(seventeen.components["hours"] == 17)
        #expect(eighteen.complete)
        let daily17 = try #require(try engine.compute("vn_aqi_daily", source: "hanoi", periodStart: day, series: series("pm25", from: "2025-03-01T00:00:00+07:00", Array(repeating: 20, count: 17))).result)
        #expect(!daily17.complete)
    }

    @Test("QCVN limit: 50 µg/m³ on 2025-12-31, 45 µg/m³ from 2026-01-01 (local date); WHO 15")
    func limitSwitch() throws {
        let before = try #require(try engine.compute(
            "pm25_24h_mean", source: "hanoi", periodStart: Self.ts("2025-12-31T00:00:00+07:00"),
            series: series("pm25", from: "2025-12-31T00:00:00+07:00", Array(repeating: 47, count: 24))).result)
        #expect(before.components["qcvn_limit"] == 50)
        #expect(before.components["exceeds_qcvn"] == 0)
        #expect(before.components["exceeds_who"] == 1)
        #expect(before.band?.code == "above_who")
        // Local midnight of 1 January is 17:00 UTC on 31 December: the local date decides.
        let after = try #require(try engine.compute(
            "pm25_24h_mean", source: "hanoi", periodStart: Self.ts("2025-12-31T17:00:00Z"),
            series: series("pm25", from: "2026-01-01T00:00:00+07:00", Array(repeating: 47, count: 24))).result)
        #expect(after.components["qcvn_limit"] == 45)
        #expect(after.components["exceeds_qcvn"] == 1)
        #expect(after.band?.code == "above_qcvn")
        #expect(after.identity.periodStart.rfc3339 == "2026-01-01T00:00:00+07:00")
        // Exactly at the limit does not exceed.
        #expect(PM25Limits(date: LocalDate(year: 2026, month: 1, day: 1)).classify(45) == "above_who")
        #expect(PM25Limits(date: LocalDate(year: 2026, month: 1, day: 1)).classify(15) == "within_who")
    }

    @Test("revisions: same identity, version + 1 only when the content changed")
    func revisions() throws {
        let hour = Self.ts("2025-03-01T11:00:00+07:00")
        let first = try #require(try engine.compute("us_aqi_hourly", source: "hanoi", periodStart: hour, series: series("pm25", from: "2025-03-01T11:00:00+07:00", [70.5])).result)
        guard case .publish(let v1, let stored1) = ValueRevision.decide(first, previous: nil, computedAt: hour, datasetId: "hanoi-air") else {
            Issue.record("first computation must publish")
            return
        }
        #expect(v1.version == 1)
        #expect(v1.value == 162)
        #expect(ValueRevision.decide(first, previous: stored1, computedAt: hour, datasetId: "hanoi-air") == .unchanged)
        let revised = try #require(try engine.compute("us_aqi_hourly", source: "hanoi", periodStart: hour, series: series("pm25", from: "2025-03-01T11:00:00+07:00", [80])).result)
        guard case .publish(let v2, let stored2) = ValueRevision.decide(revised, previous: stored1, computedAt: hour, datasetId: "hanoi-air") else {
            Issue.record("a changed value must publish")
            return
        }
        #expect(v2.version == 2)
        #expect(stored2.identity.valueId == stored1.identity.valueId)
        #expect(stored1.identity.valueId == "us_aqi_hourly/hanoi/2025-03-01T04:00:00Z")
        #expect(ValueIdentity(indicatorId: "x", source: "s", periodStart: hour) == ValueIdentity(indicatorId: "x", source: "s", periodStart: hour.utc))
    }

    @Test("the registry serves every definition as JSON and it decodes back unchanged")
    func registryJSON() throws {
        let data = try IndicatorRegistry.catalogJSON()
        let decoded = try JSONDecoder().decode(IndicatorCatalog.self, from: data)
        #expect(decoded.indicators == IndicatorRegistry.all)
        #expect(Set(decoded.indicators.map(\.id)) == ["vn_aqi_hourly", "vn_aqi_daily", "us_aqi_hourly", "us_aqi_nowcast", "pm25_24h_mean", "traffic_congestion_index"])
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"vi\":\"Kém\""))
        #expect(text.contains("1459"))
        for definition in IndicatorRegistry.all {
            #expect(!definition.references.isEmpty, "\(definition.id) names its source document")
            #expect(!definition.dataCapture.complete.isEmpty, "\(definition.id) states its data-capture rule")
        }
    }
}
