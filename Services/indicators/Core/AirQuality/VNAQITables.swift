/// The breakpoint tables of Decision 1459/QĐ-TCMT (2019), all in µg/m³ (CO included). Rows are
/// continuous: a concentration equal to a breakpoint gets exactly that breakpoint's index.
public enum VNAQITables {
    /// The index values `I_1 … I_8`.
    public static let indices: [Double] = [0, 50, 100, 150, 200, 300, 400, 500]

    /// O3, 1-hour mean.
    public static let o3OneHour = BreakpointTable.continuous(
        .o3, averaging: "1h", breakpoints: [0, 160, 200, 300, 400, 800, 1_000, 1_200], indices: indices)
    /// O3, 8-hour mean (stops at 400 µg/m³ = index 300; above it only the 1-hour column counts).
    public static let o3EightHour = BreakpointTable.continuous(
        .o3, averaging: "8h", breakpoints: [0, 100, 120, 170, 210, 400], indices: Array(indices.prefix(6)),
        aboveScale: .undefined)
    /// CO.
    public static let co = BreakpointTable.continuous(
        .co, averaging: "1h", breakpoints: [0, 10_000, 30_000, 45_000, 60_000, 90_000, 120_000, 150_000], indices: indices)
    /// SO2.
    public static let so2 = BreakpointTable.continuous(
        .so2, averaging: "1h", breakpoints: [0, 125, 350, 550, 800, 1_600, 2_100, 2_630], indices: indices)
    /// NO2.
    public static let no2 = BreakpointTable.continuous(
        .no2, averaging: "1h", breakpoints: [0, 100, 200, 700, 1_200, 2_350, 3_100, 3_850], indices: indices)
    /// PM10 (hourly NowCast or 24-hour mean).
    public static let pm10 = BreakpointTable.continuous(
        .pm10, averaging: "nowcast/24h", breakpoints: [0, 50, 150, 250, 350, 420, 500, 600], indices: indices)
    /// PM2.5 (hourly NowCast or 24-hour mean).
    public static let pm25 = BreakpointTable.continuous(
        .pm25, averaging: "nowcast/24h", breakpoints: [0, 25, 50, 80, 150, 250, 350, 500], indices: indices)

    /// The table for a pollutant's hourly (or daily, for PM and the 1-hour gas columns) sub-index.
    public static func table(for pollutant: Pollutant) -> BreakpointTable {
        switch pollutant {
        case .pm25: return pm25
        case .pm10: return pm10
        case .o3: return o3OneHour
        case .no2: return no2
        case .so2: return so2
        case .co: return co
        }
    }

    /// Every table, for listings and tests.
    public static let all: [BreakpointTable] = [o3OneHour, o3EightHour, co, so2, no2, pm10, pm25]
}
