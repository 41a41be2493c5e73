/// The traffic congestion index of a road segment and how its free-flow speed is obtained.
public enum CongestionIndex {
    /// `100 × max(0, 1 − meanSpeed / freeFlowSpeed)`, rounded half up to 0.1; `nil` for a
    /// non-positive free-flow speed.
    public static func index(meanSpeed: Double, freeFlowSpeed: Double) -> Double? {
        guard freeFlowSpeed > 0, meanSpeed.isFinite, meanSpeed >= 0 else { return nil }
        return AQIRounding.halfUp(100 * max(0, 1 - meanSpeed / freeFlowSpeed), decimals: 1)
    }

    static func compute(_ context: FormulaContext, parameters: SourceParameters) -> IndicatorOutcome {
        guard let mean = context.series.mean("traffic_speed", hourStart: context.periodStart) else {
            return context.noValue("no traffic_speed reading in the hour")
        }
        let history = (0..<TrafficDefinitions.freeFlowHistoryHours).compactMap {
            context.series.mean("traffic_speed", hourStart: context.clock.hour(context.periodStart, plus: -$0))
        }
        guard let freeFlow = FreeFlowSpeed.resolve(configured: parameters.freeFlowSpeedKmh, hourlyMeans: history) else {
            return context.noValue(
                "no free-flow speed for source '\(context.identity.source)': configure freeFlowSpeedKmh, or wait for "
                    + "\(TrafficDefinitions.freeFlowMinimumHours) hourly means (have \(history.count))")
        }
        guard let index = index(meanSpeed: mean, freeFlowSpeed: freeFlow.speedKmh) else {
            return context.noValue("free-flow speed \(freeFlow.speedKmh) km/h is not positive")
        }
        return context.result(
            value: index, band: context.definition.band(for: index), complete: true,
            components: [
                "mean_speed_kmh": AQIRounding.halfUp(mean, decimals: 1),
                "free_flow_kmh": AQIRounding.halfUp(freeFlow.speedKmh, decimals: 1),
                "free_flow_estimated": freeFlow.isEstimated ? 1 : 0,
                "free_flow_sample_hours": Double(freeFlow.sampleHours),
            ])
    }
}

/// A segment's free-flow speed: configured, or estimated from its own history.
public struct FreeFlowSpeed: Sendable, Hashable {
    /// The speed in km/h.
    public var speedKmh: Double
    /// Whether it was estimated (not configured).
    public var isEstimated: Bool
    /// How many hourly means the estimate used (0 when configured).
    public var sampleHours: Int

    /// The configured speed when given; otherwise the 85th percentile (nearest rank) of `hourlyMeans`
    /// when there are at least 24 of them; otherwise `nil`.
    public static func resolve(configured: Double?, hourlyMeans: [Double]) -> FreeFlowSpeed? {
        if let configured { return FreeFlowSpeed(speedKmh: configured, isEstimated: false, sampleHours: 0) }
        let sorted = hourlyMeans.filter { $0.isFinite && $0 >= 0 }.sorted()
        guard sorted.count >= TrafficDefinitions.freeFlowMinimumHours else { return nil }
        let rank = Int((TrafficDefinitions.freeFlowPercentile / 100 * Double(sorted.count)).rounded(.up))
        return FreeFlowSpeed(speedKmh: sorted[max(0, rank - 1)], isEstimated: true, sampleHours: sorted.count)
    }
}
