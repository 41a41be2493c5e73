/// The six pollutants of VN_AQI and the US AQI; raw values are the quantity ids of the platform.
/// The case order is the tie-break order for the dominant pollutant.
public enum Pollutant: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    case pm25
    case pm10
    case o3
    case no2
    case so2
    case co

    /// The quantity id on `city.observations.v1` (canonical unit µg/m³ for all six).
    public var quantity: String { rawValue }

    /// Whether the hourly VN_AQI uses the NowCast (PM) rather than the 1-hour mean (gases).
    public var usesNowCast: Bool { self == .pm25 || self == .pm10 }

    private var order: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (lhs: Pollutant, rhs: Pollutant) -> Bool { lhs.order < rhs.order }
}
