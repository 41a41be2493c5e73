import CityEvents

/// One computed indicator value, before versioning: what ``IndicatorEngine`` returns.
public struct IndicatorResult: Sendable, Hashable {
    /// Indicator, source, period start.
    public var identity: ValueIdentity
    /// End of the period (exclusive).
    public var periodEnd: Timestamp
    /// The value (an integer for AQIs; a mean rounded to 0.1).
    public var value: Double
    /// Unit of the value.
    public var unit: String
    /// The category band, if the indicator has bands.
    public var band: CategoryBand?
    /// Whether the data-capture rule for a complete value was met.
    public var complete: Bool
    /// Sub-indices and other components (e.g. `pm25`, `nowcast_pm25`, `hours`, `qcvn_limit`).
    public var components: [String: Double]
    /// The dominant pollutant of an AQI.
    public var dominant: String?

    /// Creates a result.
    public init(
        identity: ValueIdentity, periodEnd: Timestamp, value: Double, unit: String, band: CategoryBand?, complete: Bool,
        components: [String: Double], dominant: String? = nil
    ) {
        self.identity = identity
        self.periodEnd = periodEnd
        self.value = value
        self.unit = unit
        self.band = band
        self.complete = complete
        self.components = components
        self.dominant = dominant
    }

    /// What a revision compares: everything published except the version and the computation time.
    public var content: ValueContent {
        ValueContent(
            value: value, unit: unit, category: band?.code, complete: complete, components: components,
            dominant: dominant, periodEnd: periodEnd.utc)
    }

    /// The event for this value at a version.
    public func event(version: Int, computedAt: Timestamp, datasetId: String, area: String? = nil) -> IndicatorComputed {
        IndicatorComputed(
            indicatorId: identity.indicatorId, area: area, source: identity.source, periodStart: identity.periodStart,
            periodEnd: periodEnd, value: value, unit: unit, category: band?.code, categoryVi: band?.name.vi,
            categoryEn: band?.name.en, colour: band?.colour, complete: complete, version: version,
            components: components, computedAt: computedAt, datasetId: datasetId)
    }
}

/// The published content of a value, compared to decide whether a recomputation changed it. The
/// service stores it (as JSON) next to the version of the last published value.
public struct ValueContent: Codable, Sendable, Hashable {
    /// The value.
    public var value: Double
    /// Its unit.
    public var unit: String
    /// Category code.
    public var category: String?
    /// Completeness.
    public var complete: Bool
    /// Components.
    public var components: [String: Double]
    /// Dominant pollutant.
    public var dominant: String?
    /// Period end, in UTC.
    public var periodEnd: Timestamp
}
