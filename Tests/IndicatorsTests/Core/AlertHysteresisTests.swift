import CityEvents
import IndicatorsCore
import Testing

@Suite("Alerts with hysteresis")
struct AlertHysteresisTests {
    let machine = try! AlertStateMachine(rule: .vnAqiHourly)
    let start = Timestamp(rfc3339: "2025-03-01T00:00:00+07:00")!

    func value(_ aqi: Int, hour: Int) -> IndicatorComputed {
        let band = AirQualityBands.band(of: aqi, in: AirQualityBands.vn)
        let periodStart = LocalClock.vietnam.hour(start, plus: hour)
        return IndicatorComputed(
            indicatorId: "vn_aqi_hourly", source: "hanoi", periodStart: periodStart,
            periodEnd: LocalClock.vietnam.hour(periodStart, plus: 1), value: Double(aqi), unit: "1", category: band.code,
            complete: true, computedAt: periodStart, datasetId: "hanoi-air")
    }

    func run(_ values: [Int], from state: AlertState = AlertState(), firstHour: Int = 0) -> (AlertState, [IndicatorAlert]) {
        var state = state
        var alerts: [IndicatorAlert] = []
        for (offset, aqi) in values.enumerated() {
            let step = machine.step(state, value: value(aqi, hour: firstHour + offset))
            state = step.state
            alerts += step.alerts
        }
        return (state, alerts)
    }

    @Test("a value wobbling around 100 raises once and does not flap")
    func wobble() {
        let (state, alerts) = run([95, 105, 98, 102, 99, 101, 97, 103, 96])
        #expect(alerts.count == 1)
        #expect(alerts.first?.kind == .raised)
        #expect(alerts.first?.category == "poor")
        #expect(alerts.first?.previousCategory == "moderate")
        #expect(alerts.first?.severity == .warning)
        #expect(alerts.first?.threshold == 100)
        #expect(state.isRaised)
    }

    @Test("recovery needs 2 consecutive hours at or below 90; a dead-band hour resets the count")
    func recovery() {
        let (raised, _) = run([120])
        let (stillRaised, none) = run([88, 95, 89], from: raised, firstHour: 1)
        #expect(none.isEmpty)
        #expect(stillRaised.isRaised)
        let (recovered, alerts) = run([90], from: stillRaised, firstHour: 4)
        #expect(alerts.count == 1)
        #expect(alerts.first?.kind == .recovered)
        #expect(alerts.first?.previousCategory == "poor")
        #expect(alerts.first?.severity == .warning)
        #expect(!recovered.isRaised)
    }

    @Test("a rise to a higher category escalates once; wobbling between poor and bad does not repeat it")
    func escalation() {
        let (_, alerts) = run([110, 160, 140, 165, 145, 210])
        #expect(alerts.map(\.category) == ["poor", "bad", "very_bad"])
        #expect(alerts.map(\.severity) == [.warning, .warning, .critical])
    }

    @Test("late revisions of earlier periods do not alert; a revision of the same hour counts once")
    func ordering() {
        let (raised, _) = run([120], firstHour: 5)
        let stale = machine.step(raised, value: value(20, hour: 2))
        #expect(stale.alerts.isEmpty)
        #expect(stale.state == raised)
        // Hour 6 below the bound twice (a revision) counts as one hour.
        let once = machine.step(raised, value: value(80, hour: 6))
        let twice = machine.step(once.state, value: value(75, hour: 6))
        #expect(twice.alerts.isEmpty)
        #expect(twice.state.periodsBelow == 1)
    }

    @Test("PM2.5 24-hour mean: the threshold is the QCVN limit carried by the value")
    func limitRule() throws {
        let machine = try AlertStateMachine(rule: .pm25DailyMean)
        let day = Timestamp(rfc3339: "2026-01-02T00:00:00+07:00")!
        let value = IndicatorComputed(
            indicatorId: "pm25_24h_mean", source: "hanoi", periodStart: day, periodEnd: day, value: 47, unit: "µg/m³",
            category: "above_qcvn", complete: true, components: ["qcvn_limit": 45], computedAt: day, datasetId: "hanoi-air")
        let step = machine.step(AlertState(), value: value)
        #expect(step.alerts.map(\.kind) == [.raised])
        #expect(step.alerts.first?.threshold == 45)
    }
}
