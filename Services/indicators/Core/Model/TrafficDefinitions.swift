/// The traffic indicator definitions (a second family, proving the model is not air-quality specific).
public enum TrafficDefinitions {
    /// Hours of history the free-flow speed is estimated from when not configured (28 days).
    public static let freeFlowHistoryHours = 28 * 24
    /// Hourly means required for an estimate.
    public static let freeFlowMinimumHours = 24
    /// The percentile of the hourly means taken as free-flow speed.
    public static let freeFlowPercentile = 85.0

    /// `traffic_congestion_index`.
    public static let congestionIndex = IndicatorDefinition(
        id: "traffic_congestion_index",
        name: LocalizedText(vi: "Chỉ số ùn tắc giao thông", en: "Traffic congestion index"),
        description: LocalizedText(
            vi: "Mức giảm tốc độ trung bình giờ của một đoạn đường so với tốc độ dòng tự do của đoạn đó, theo phần trăm.",
            en: "How far a road segment's hourly mean speed falls below its free-flow speed, in percent."),
        family: "traffic", period: .hour,
        inputs: [
            IndicatorInput(quantity: "traffic_speed", aggregation: .hourlyMean),
            IndicatorInput(
                quantity: "traffic_speed", aggregation: .trailingHourlyMeans, lookbackHours: freeFlowHistoryHours - 1,
                drivesRecompute: false),
        ],
        formula: IndicatorFormula(
            kind: .congestionIndex,
            text: "CI = 100 × max(0, 1 − v̄ / v_ff), rounded half up to 0.1 %, where v̄ is the hourly mean traffic_speed "
                + "of the segment and v_ff its free-flow speed."),
        dataCapture: DataCaptureRule(
            minimum: "A traffic_speed reading in the hour and a free-flow speed (configured, or estimated from at least "
                + "24 hourly means of the last 28 days).",
            complete: "The free-flow speed is configured, or estimated from at least 24 hourly means."),
        unit: "%",
        bands: [
            CategoryBand(code: "free_flow", name: LocalizedText(vi: "Thông thoáng", en: "Free flow"), minimum: 0, maximum: 20, colour: "#00e400"),
            CategoryBand(code: "light", name: LocalizedText(vi: "Hơi đông", en: "Light"), minimum: 20.1, maximum: 40, colour: "#ffff00"),
            CategoryBand(code: "moderate", name: LocalizedText(vi: "Đông", en: "Moderate"), minimum: 40.1, maximum: 60, colour: "#ff7e00", severity: .info),
            CategoryBand(code: "heavy", name: LocalizedText(vi: "Ùn tắc", en: "Heavy"), minimum: 60.1, maximum: 80, colour: "#ff0000", severity: .warning),
            CategoryBand(code: "severe", name: LocalizedText(vi: "Ùn tắc nghiêm trọng", en: "Severe"), minimum: 80.1, maximum: 100, colour: "#7e0023", severity: .warning),
        ],
        parameters: [
            ParameterDescription(
                name: "freeFlowSpeedKmh", unit: "km/h",
                description: "The segment's free-flow speed, configured per source (e.g. from the road authority or the speed "
                    + "limit). When absent: the 85th percentile (nearest rank) of the segment's hourly mean speeds over the "
                    + "28 days up to the hour, if at least 24 hourly means exist; otherwise no value."),
        ],
        references: [
            SourceDocument(
                title: "ISO 37120 / ITU U4SSC transport indicators",
                note: "Congestion as the relative speed loss against free flow; the 85th-percentile free-flow estimate is a "
                    + "common traffic-engineering convention, stated here as this platform's rule"),
        ])

    /// All traffic definitions.
    public static let all: [IndicatorDefinition] = [congestionIndex]
}
