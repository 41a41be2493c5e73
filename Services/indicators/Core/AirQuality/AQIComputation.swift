/// An AQI computed from sub-indices: the overall value, its category and how it was obtained.
public struct AQIComputation: Sendable, Hashable {
    /// The overall AQI: the largest sub-index, rounded half up.
    public var aqi: Int
    /// Each pollutant's sub-index, rounded half up.
    public var subIndices: [Pollutant: Int]
    /// The concentration each sub-index was computed from (NowCast, mean or maximum, µg/m³).
    public var concentrations: [Pollutant: Double]
    /// The pollutant with the largest sub-index (ties: PM2.5, PM10, O3, NO2, SO2, CO).
    public var dominant: Pollutant
    /// The category band of ``aqi``.
    public var band: CategoryBand
    /// Whether every contributing pollutant met its data-capture rule.
    public var complete: Bool

    /// Builds the result from unrounded sub-indices; `nil` when there are none.
    static func combine(
        _ unrounded: [Pollutant: Double], concentrations: [Pollutant: Double], complete: Bool, bands: [CategoryBand]
    ) -> AQIComputation? {
        guard !unrounded.isEmpty else { return nil }
        let rounded = unrounded.mapValues(AQIRounding.halfUp)
        let dominant = rounded.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }[0]
        return AQIComputation(
            aqi: dominant.value, subIndices: rounded, concentrations: concentrations, dominant: dominant.key,
            band: AirQualityBands.band(of: dominant.value, in: bands), complete: complete)
    }
}
