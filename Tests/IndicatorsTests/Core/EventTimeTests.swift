import CityEvents
import Foundation
import IndicatorsCore
import Testing

@Suite("Event time: local hours, aggregates, recompute plans, watermarks")
struct EventTimeTests {
    static func ts(_ text: String) -> Timestamp { Timestamp(rfc3339: text)! }
    let clock = LocalClock.vietnam

    @Test("hours and days are local to Asia/Ho_Chi_Minh by default")
    func localHours() {
        let instant = Self.ts("2025-03-01T00:01:17.669055+07:00")
        #expect(clock.hourStart(of: instant).rfc3339 == "2025-03-01T00:00:00+07:00")
        // 23:30 UTC on 31 Dec is 06:30 on 1 Jan in Hanoi.
        #expect(clock.date(of: Self.ts("2025-12-31T23:30:00Z")).description == "2026-01-01")
        #expect(clock.dayStart(of: Self.ts("2025-12-31T23:30:00Z")).rfc3339 == "2026-01-01T00:00:00+07:00")
        #expect(clock.hours(of: LocalDate(year: 2026, month: 1, day: 1)).count == 24)
    }

    @Test("the zone is configurable, including half-hour offsets")
    func otherZone() throws {
        let kolkata = try LocalClock(identifier: "Asia/Kolkata")
        // 10:10 UTC is 15:40 in Kolkata: the local hour starts at 15:00 local, i.e. 09:30 UTC.
        let hour = kolkata.hourStart(of: Self.ts("2025-03-01T10:10:00Z"))
        #expect(hour.rfc3339 == "2025-03-01T15:00:00+05:30")
        #expect(hour.utc.rfc3339 == "2025-03-01T09:30:00Z")
        #expect(throws: IndicatorError.unknownTimeZone("Mars/Olympus")) { try LocalClock(identifier: "Mars/Olympus") }
    }

    @Test("hourly aggregates update incrementally")
    func aggregate() throws {
        let first = ObservationRecorded(
            datasetId: "d", agencyId: "a", sourceId: "hanoi", observedAt: Self.ts("2025-03-01T10:05:00+07:00"),
            measurements: [ObservationMeasurement(quantity: "pm25", value: 40, unit: "µg/m³")])
        let second = ObservationRecorded(
            datasetId: "d", agencyId: "a", sourceId: "hanoi", observedAt: Self.ts("2025-03-01T10:45:00+07:00"),
            measurements: [
                ObservationMeasurement(quantity: "pm25", value: 60, unit: "µg/m³"),
                ObservationMeasurement(quantity: "pm10", value: 90, unit: "µg/m³"),
            ])
        var state = HourlyAggregate.update([:], with: first, clock: clock)
        state = HourlyAggregate.update(state, with: second, clock: clock)
        let pm25 = try #require(state["pm25"])
        #expect(pm25.count == 2)
        #expect(pm25.mean == 50)
        #expect(pm25.minimum == 40 && pm25.maximum == 60)
        #expect(pm25.hourStart.rfc3339 == "2025-03-01T10:00:00+07:00")
        #expect(pm25.lastObservedAt == Self.ts("2025-03-01T10:45:00+07:00"))
        #expect(state["pm10"]?.count == 1)
    }

    @Test("a PM2.5 observation recomputes its hour, the 12 NowCast hours and its day")
    func planPM25() {
        let plan = RecomputePlan.affected(
            source: "hanoi", observedAt: Self.ts("2025-03-01T10:20:00+07:00"), quantities: ["pm25"], clock: clock)
        #expect(plan.hour.rfc3339 == "2025-03-01T10:00:00+07:00")
        #expect(plan.nowCastHours.count == 12)
        #expect(plan.nowCastHours.last?.rfc3339 == "2025-03-01T21:00:00+07:00")
        func periods(_ id: String) -> [String] { plan.values.filter { $0.indicatorId == id }.map { $0.periodStart.rfc3339 } }
        #expect(periods("us_aqi_hourly") == ["2025-03-01T10:00:00+07:00"])
        #expect(periods("vn_aqi_hourly").count == 12)
        #expect(periods("us_aqi_nowcast").count == 12)
        #expect(periods("vn_aqi_daily") == ["2025-03-01T00:00:00+07:00"])
        #expect(periods("pm25_24h_mean") == ["2025-03-01T00:00:00+07:00"])
        #expect(periods("traffic_congestion_index").isEmpty)
    }

    @Test("following the source's watermark: no values for hours that have not begun; passed gap hours get their NowCast")
    func planWithWatermark() {
        let at1020 = Self.ts("2025-03-01T10:20:00+07:00")
        let first = RecomputePlan.affected(
            source: "hanoi", observedAt: at1020, quantities: ["pm25"], clock: clock,
            progress: WatermarkAdvance(previous: Self.ts("2025-03-01T09:10:00+07:00"), current: at1020))
        func periods(_ plan: RecomputePlan, _ id: String) -> [String] {
            plan.values.filter { $0.indicatorId == id }.map { $0.periodStart.rfc3339 }
        }
        #expect(periods(first, "vn_aqi_hourly") == ["2025-03-01T10:00:00+07:00"])
        #expect(periods(first, "us_aqi_nowcast") == ["2025-03-01T10:00:00+07:00"])
        // Next reading at 13:05: hours 11 and 12 had no data but have NowCast values from 9 and 10 (2 of 3 for 11).
        let at1305 = Self.ts("2025-03-01T13:05:00+07:00")
        let next = RecomputePlan.affected(
            source: "hanoi", observedAt: at1305, quantities: ["pm25"], clock: clock,
            progress: WatermarkAdvance(previous: at1020, current: at1305))
        #expect(periods(next, "vn_aqi_hourly") == ["2025-03-01T11:00:00+07:00", "2025-03-01T12:00:00+07:00", "2025-03-01T13:00:00+07:00"])
        #expect(periods(next, "us_aqi_hourly") == ["2025-03-01T13:00:00+07:00"])
        // A late observation (before the watermark) recomputes the hours after it up to the watermark only.
        let late = RecomputePlan.affected(
            source: "hanoi", observedAt: Self.ts("2025-03-01T08:30:00+07:00"), quantities: ["pm25"], clock: clock,
            progress: WatermarkAdvance(previous: at1305, current: at1305))
        #expect(periods(late, "vn_aqi_hourly").count == 6)  // 08:00 … 13:00
    }

    @Test("late-evening O3 also recomputes the next day (its 8-hour means reach back 7 hours)")
    func planO3() {
        let plan = RecomputePlan.affected(
            source: "hanoi", observedAt: Self.ts("2025-03-01T20:30:00+07:00"), quantities: ["o3"], clock: clock)
        #expect(plan.days.map(\.description) == ["2025-03-01", "2025-03-02"])
        #expect(plan.values.filter { $0.indicatorId == "vn_aqi_hourly" }.count == 1)
    }

    @Test("traffic history does not fan a speed reading out to 672 hours")
    func planTraffic() {
        let plan = RecomputePlan.affected(
            source: "seg-1", observedAt: Self.ts("2025-03-01T08:10:00+07:00"), quantities: ["traffic_speed"], clock: clock)
        #expect(plan.values.map(\.indicatorId) == ["traffic_congestion_index"])
    }

    @Test("the lateness horizon is 48 h behind the source's own newest observation")
    func lateness() throws {
        let policy = LatenessPolicy.standard
        let now = Self.ts("2025-03-10T12:00:00Z")
        var watermark = SourceWatermark(source: "hanoi")
        watermark = try policy.admit(observedAt: Self.ts("2025-03-10T10:00:00Z"), watermark: watermark, now: now).get()
        #expect(watermark.newestObservedAt == Self.ts("2025-03-10T10:00:00Z"))
        // Exactly 48 h behind is still accepted, and does not move the watermark back.
        let atHorizon = try policy.admit(observedAt: Self.ts("2025-03-08T10:00:00Z"), watermark: watermark, now: now).get()
        #expect(atHorizon.newestObservedAt == watermark.newestObservedAt)
        // One second more is rejected, with the reason.
        let late = policy.admit(observedAt: Self.ts("2025-03-08T09:59:59Z"), watermark: watermark, now: now)
        guard case .failure(let rejection) = late else {
            Issue.record("expected a rejection")
            return
        }
        #expect(rejection.code == "too_late")
        #expect(rejection.description.contains("48 h 0 min 1 s behind"))
        #expect(rejection.description.contains("lateness horizon is 48 h"))
        // Another source has its own watermark.
        #expect((try? policy.admit(observedAt: Self.ts("2025-03-01T00:00:00Z"), watermark: SourceWatermark(source: "hue"), now: now).get()) != nil)
    }

    @Test("observations far in the future are rejected instead of moving the watermark")
    func future() {
        let result = LatenessPolicy.standard.admit(
            observedAt: Self.ts("2025-03-10T14:00:01Z"), watermark: SourceWatermark(source: "hanoi"), now: Self.ts("2025-03-10T12:00:00Z"))
        guard case .failure(let rejection) = result else {
            Issue.record("expected a rejection")
            return
        }
        #expect(rejection.code == "in_future")
    }
}
