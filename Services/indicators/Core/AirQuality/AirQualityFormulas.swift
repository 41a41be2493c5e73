import CityEvents

/// The air-quality formulas of ``IndicatorEngine``: they gather hourly means from the series and call
/// ``VNAQI``, ``USAQI`` and ``NowCast``.
enum AirQualityFormulas {
    static func components(of computation: AQIComputation) -> [String: Double] {
        var components: [String: Double] = [:]
        for (pollutant, index) in computation.subIndices { components[pollutant.rawValue] = Double(index) }
        for (pollutant, concentration) in computation.concentrations {
            components["\(pollutant.rawValue)_concentration"] = AQIRounding.halfUp(concentration, decimals: 1)
        }
        return components
    }

    static func vnAqiHourly(_ context: FormulaContext) -> IndicatorOutcome {
        let hour = context.periodStart
        var gases: [Pollutant: Double] = [:]
        for pollutant in [Pollutant.o3, .no2, .so2, .co] {
            if let mean = context.series.mean(pollutant.quantity, hourStart: hour) { gases[pollutant] = mean }
        }
        let input = VNAQI.HourlyInput(
            pm25: context.series.backwards("pm25", from: hour, count: NowCast.hours),
            pm10: context.series.backwards("pm10", from: hour, count: NowCast.hours), gases: gases)
        guard let computation = VNAQI.hourly(input) else {
            return context.noValue("no PM2.5 or PM10 NowCast: fewer than 2 of the 3 latest hours of either")
        }
        return context.result(
            value: Double(computation.aqi), band: computation.band, complete: computation.complete,
            components: components(of: computation), dominant: computation.dominant.rawValue)
    }

    static func vnAqiDaily(_ context: FormulaContext) -> IndicatorOutcome {
        let date = context.clock.date(of: context.periodStart)
        let hours = context.clock.hours(of: date)
        var values: [Pollutant: [Double?]] = [:]
        for pollutant in Pollutant.allCases { values[pollutant] = context.series.values(pollutant.quantity, at: hours) }
        let preceding = (1...7).reversed().map { context.clock.hour(context.periodStart, plus: -$0) }
        let input = VNAQI.DailyInput(hours: values, o3PrecedingHours: context.series.values("o3", at: preceding))
        guard let computation = VNAQI.daily(input) else {
            return context.noValue("no PM2.5 or PM10 hourly mean in the day")
        }
        var components = components(of: computation)
        for pollutant in computation.subIndices.keys {
            components["\(pollutant.rawValue)_hours"] = Double((values[pollutant] ?? []).compactMap { $0 }.count)
        }
        return context.result(
            value: Double(computation.aqi), band: computation.band, complete: computation.complete,
            components: components, dominant: computation.dominant.rawValue)
    }

    static func usAqiHourly(_ context: FormulaContext) -> IndicatorOutcome {
        guard let mean = context.series.mean("pm25", hourStart: context.periodStart), let aqi = USAQI.pm25(mean) else {
            return context.noValue("no PM2.5 reading in the hour")
        }
        return context.result(
            value: Double(aqi), band: AirQualityBands.band(of: aqi, in: context.definition.bands), complete: true,
            components: [
                "pm25_concentration": AQIRounding.halfUp(mean, decimals: 1),
                "readings": Double(context.series.count("pm25", hourStart: context.periodStart)),
            ])
    }

    static func usAqiNowCast(_ context: FormulaContext) -> IndicatorOutcome {
        let hours = context.series.backwards("pm25", from: context.periodStart, count: NowCast.hours)
        guard let nowCast = NowCast.compute(hours), let aqi = USAQI.pm25(nowCast.concentration) else {
            return context.noValue("no PM2.5 NowCast: fewer than 2 of the 3 latest hours")
        }
        return context.result(
            value: Double(aqi), band: AirQualityBands.band(of: aqi, in: context.definition.bands),
            complete: nowCast.currentHourPresent,
            components: [
                "nowcast_pm25": AQIRounding.truncate(nowCast.concentration, decimals: 1),
                "weight": AQIRounding.halfUp(nowCast.weight, decimals: 3),
                "hours_used": Double(nowCast.hoursUsed),
            ])
    }

    static func dailyMeanWithLimits(_ context: FormulaContext) -> IndicatorOutcome {
        let date = context.clock.date(of: context.periodStart)
        let values = context.series.values("pm25", at: context.clock.hours(of: date)).compactMap { $0 }
        guard !values.isEmpty else { return context.noValue("no PM2.5 hourly mean in the day") }
        let mean = AQIRounding.halfUp(values.reduce(0, +) / Double(values.count), decimals: 1)
        let limits = PM25Limits(definition: context.definition, date: date)
        let exceedance = limits.classify(mean)
        var components: [String: Double] = [
            "hours": Double(values.count),
            "who_guideline": limits.who,
            "exceeds_who": mean > limits.who ? 1 : 0,
        ]
        if let qcvn = limits.qcvn {
            components["qcvn_limit"] = qcvn
            components["exceeds_qcvn"] = mean > qcvn ? 1 : 0
        }
        return context.result(
            value: mean, band: context.definition.band(code: exceedance), complete: context.definition.dataCapture.isComplete(presentHours: values.count),
            components: components)
    }
}

/// The PM2.5 24-hour limit values valid on a local date.
public struct PM25Limits: Sendable, Hashable {
    /// The QCVN 05:2023 limit valid on the date (50, or 45 from 2026-01-01).
    public var qcvn: Double?
    /// The WHO 2021 guideline (15).
    public var who: Double

    /// The limits of `pm25_24h_mean` on a date.
    public init(definition: IndicatorDefinition = AirQualityDefinitions.pm25DailyMean, date: LocalDate) {
        let valid = definition.limits.filter { $0.applies(on: date) }
        qcvn = valid.first { $0.code.hasPrefix("qcvn") }?.value
        who = valid.first { $0.code.hasPrefix("who") }?.value ?? 15
    }

    /// The category code of a (rounded) mean: `within_who`, `above_who` or `above_qcvn`.
    public func classify(_ mean: Double) -> String {
        if let qcvn, mean > qcvn { return "above_qcvn" }
        return mean > who ? "above_who" : "within_who"
    }
}
