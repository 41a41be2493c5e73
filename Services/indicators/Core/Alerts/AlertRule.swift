import CityEvents

/// When an indicator of a source raises an alert and when it recovers.
///
/// Raise: the value is strictly above the threshold (e.g. VN_AQI > 100, i.e. Kém/Poor or worse; a
/// PM2.5 24-hour mean above the QCVN limit valid on its date). While raised, a rise to a category
/// higher than any alerted in the episode raises again (escalation).
/// Recover (hysteresis): the value must be at or below `threshold − recoveryMargin` for
/// `recoveryPeriods` consecutive periods; a value between the two bounds resets the count. So a value
/// wobbling around the threshold raises once and stays raised.
public struct AlertRule: Codable, Sendable, Hashable {
    /// The indicator.
    public var indicatorId: String
    /// A fixed threshold, or `nil` to read it from ``thresholdComponent``.
    public var threshold: Double?
    /// The component of the value holding its threshold (e.g. `qcvn_limit`, which changes with the date).
    public var thresholdComponent: String?
    /// How far below the threshold a value must be to count toward recovery.
    public var recoveryMargin: Double
    /// How many consecutive periods at or below `threshold − recoveryMargin` recover.
    public var recoveryPeriods: Int

    /// Creates a rule.
    public init(indicatorId: String, threshold: Double? = nil, thresholdComponent: String? = nil, recoveryMargin: Double, recoveryPeriods: Int) {
        self.indicatorId = indicatorId
        self.threshold = threshold
        self.thresholdComponent = thresholdComponent
        self.recoveryMargin = recoveryMargin
        self.recoveryPeriods = recoveryPeriods
    }

    /// The threshold that applies to a value.
    public func threshold(for value: IndicatorComputed) -> Double? {
        threshold ?? thresholdComponent.flatMap { value.components[$0] }
    }

    /// VN_AQI hourly above 100 (Kém/Poor or worse); recovers at ≤ 90 for 2 consecutive hours.
    public static let vnAqiHourly = AlertRule(indicatorId: "vn_aqi_hourly", threshold: 100, recoveryMargin: 10, recoveryPeriods: 2)
    /// VN_AQI daily above 100; recovers at ≤ 90 for 1 day.
    public static let vnAqiDaily = AlertRule(indicatorId: "vn_aqi_daily", threshold: 100, recoveryMargin: 10, recoveryPeriods: 1)
    /// PM2.5 24-hour mean above the QCVN limit of its date; recovers at ≤ limit − 5 µg/m³ for 1 day.
    public static let pm25DailyMean = AlertRule(indicatorId: "pm25_24h_mean", thresholdComponent: "qcvn_limit", recoveryMargin: 5, recoveryPeriods: 1)

    /// The default rules.
    public static let defaults: [AlertRule] = [vnAqiHourly, vnAqiDaily, pm25DailyMean]
}
