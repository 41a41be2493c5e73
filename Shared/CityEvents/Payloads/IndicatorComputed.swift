/// `vn.citydata.indicator.computed.v1` on `city.indicators.values.v1`, keyed by
/// `<indicatorId>/<area or source>`: one computed indicator value (e.g. an hourly VN_AQI of a
/// station). A later value for the same indicator, source and period with a higher ``version``
/// supersedes the earlier one (late data, recomputation).
public struct IndicatorComputed: EventPayload, Hashable {
    public static let eventType = EventType.indicatorComputed
    public static let topic = TopicName.indicatorValues

    /// The indicator, e.g. `vn_aqi_hourly`.
    public var indicatorId: String
    /// The administrative area, for area aggregates.
    public var area: String?
    /// The source (station) the value is computed for.
    public var source: String
    /// Start of the period (inclusive).
    public var periodStart: Timestamp
    /// End of the period (exclusive).
    public var periodEnd: Timestamp
    /// The value.
    public var value: Double
    /// Its unit (`1` for a dimensionless index, `µg/m³` for a mean…).
    public var unit: String
    /// Category code, e.g. `moderate`.
    public var category: String?
    /// Category in Vietnamese, e.g. `Trung bình`.
    public var categoryVi: String?
    /// Category in English, e.g. `Moderate`.
    public var categoryEn: String?
    /// Category colour as `#rrggbb`.
    public var colour: String?
    /// Whether every input the method requires was present.
    public var complete: Bool
    /// Increases each time the value for this indicator, source and period is recomputed.
    public var version: Int
    /// Sub-indices or components, e.g. `{"pm25": 112, "o3": 20}`.
    public var components: [String: Double]
    /// When the value was computed.
    public var computedAt: Timestamp
    /// The dataset the inputs came from.
    public var datasetId: String

    /// Creates an indicator value.
    public init(
        indicatorId: String, area: String? = nil, source: String, periodStart: Timestamp, periodEnd: Timestamp,
        value: Double, unit: String, category: String? = nil, categoryVi: String? = nil, categoryEn: String? = nil,
        colour: String? = nil, complete: Bool, version: Int = 1, components: [String: Double] = [:],
        computedAt: Timestamp, datasetId: String
    ) {
        self.indicatorId = indicatorId
        self.area = area
        self.source = source
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.value = value
        self.unit = unit
        self.category = category
        self.categoryVi = categoryVi
        self.categoryEn = categoryEn
        self.colour = colour
        self.complete = complete
        self.version = version
        self.components = components
        self.computedAt = computedAt
        self.datasetId = datasetId
    }

    public var partitionKey: [UInt8]? { Array(IndicatorKey.make(indicatorId: indicatorId, area: area, source: source).utf8) }
    public var defaultSubject: String? { datasetId }
}

/// The Kafka key of indicator topics: `<indicatorId>/<area>` for area aggregates, otherwise
/// `<indicatorId>/<source>`.
public enum IndicatorKey {
    /// The key for these fields.
    public static func make(indicatorId: String, area: String?, source: String) -> String {
        indicatorId + "/" + (area ?? source)
    }
}
