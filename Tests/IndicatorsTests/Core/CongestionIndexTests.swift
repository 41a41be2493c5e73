import CityEvents
import IndicatorsCore
import Testing

@Suite("Traffic congestion index")
struct CongestionIndexTests {
    let hour = Timestamp(rfc3339: "2025-03-03T08:00:00+07:00")!

    @Test("configured free-flow speed: 20 km/h against 50 km/h is 60 % congestion")
    func configured() throws {
        var series = HourlySeries(source: "seg-1")
        series.set("traffic_speed", hourStart: hour, mean: 20)
        let result = try #require(try IndicatorEngine().compute(
            "traffic_congestion_index", source: "seg-1", periodStart: hour, series: series,
            parameters: SourceParameters(freeFlowSpeedKmh: 50)).result)
        #expect(result.value == 60)
        #expect(result.band?.code == "moderate")
        #expect(result.components["free_flow_estimated"] == 0)
        #expect(CongestionIndex.index(meanSpeed: 70, freeFlowSpeed: 50) == 0)
    }

    @Test("without a configured speed: the 85th percentile of the segment's hourly means, at least 24 of them")
    func estimated() throws {
        #expect(FreeFlowSpeed.resolve(configured: nil, hourlyMeans: (1...23).map(Double.init)) == nil)
        let estimate = try #require(FreeFlowSpeed.resolve(configured: nil, hourlyMeans: (1...24).map(Double.init).reversed()))
        #expect(estimate.speedKmh == 21)  // nearest rank ⌈0.85 × 24⌉ = 21
        #expect(estimate.isEstimated)

        var series = HourlySeries(source: "seg-1")
        let clock = LocalClock.vietnam
        for back in 0..<40 { series.set("traffic_speed", hourStart: clock.hour(hour, plus: -back), mean: back == 0 ? 12 : 40) }
        let result = try #require(try IndicatorEngine().compute("traffic_congestion_index", source: "seg-1", periodStart: hour, series: series).result)
        #expect(result.components["free_flow_kmh"] == 40)
        #expect(result.value == 70)
        #expect(result.band?.name.vi == "Ùn tắc")
    }

    @Test("too little history and no configured speed: no value, with what to do")
    func noFreeFlow() throws {
        var series = HourlySeries(source: "seg-2")
        series.set("traffic_speed", hourStart: hour, mean: 30)
        let outcome = try IndicatorEngine().compute("traffic_congestion_index", source: "seg-2", periodStart: hour, series: series)
        guard case .noValue(_, let reason) = outcome else {
            Issue.record("expected no value")
            return
        }
        #expect(reason.contains("configure freeFlowSpeedKmh"))
    }
}
