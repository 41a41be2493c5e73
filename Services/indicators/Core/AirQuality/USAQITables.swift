/// The US EPA AQI breakpoint tables in force from 6 May 2024, in the units EPA states them
/// (µg/m³ for PM, ppm for CO and O3, ppb for SO2 and NO2), each with EPA's truncation step.
/// Use ``USAQI/subIndex(_:concentrationMicrograms:)`` to start from the platform's µg/m³.
public enum USAQITables {
    private static func rows(_ bounds: [(Double, Double)], indices: [(Double, Double)]) -> [BreakpointSegment] {
        zip(bounds, indices).map { BreakpointSegment(low: $0.0, high: $0.1, indexLow: $1.0, indexHigh: $1.1) }
    }

    /// The six index ranges 0–50 … 301–500.
    static let indexRanges: [(Double, Double)] = [(0, 50), (51, 100), (101, 150), (151, 200), (201, 300), (301, 500)]

    /// PM2.5, 24-hour (also used for the hourly value and the NowCast), truncated to 0.1 µg/m³.
    public static let pm25 = BreakpointTable(
        pollutant: .pm25, averaging: "24h", unit: "µg/m³",
        segments: rows([(0.0, 9.0), (9.1, 35.4), (35.5, 55.4), (55.5, 125.4), (125.5, 225.4), (225.5, 325.4)], indices: indexRanges),
        truncationDecimals: 1)
    /// PM10, 24-hour, truncated to 1 µg/m³.
    public static let pm10 = BreakpointTable(
        pollutant: .pm10, averaging: "24h", unit: "µg/m³",
        segments: rows([(0, 54), (55, 154), (155, 254), (255, 354), (355, 424), (425, 604)], indices: indexRanges),
        truncationDecimals: 0)
    /// CO, 8-hour, ppm truncated to 0.1.
    public static let co = BreakpointTable(
        pollutant: .co, averaging: "8h", unit: "ppm",
        segments: rows([(0.0, 4.4), (4.5, 9.4), (9.5, 12.4), (12.5, 15.4), (15.5, 30.4), (30.5, 50.4)], indices: indexRanges),
        truncationDecimals: 1)
    /// SO2, 1-hour, ppb truncated to 1.
    public static let so2 = BreakpointTable(
        pollutant: .so2, averaging: "1h", unit: "ppb",
        segments: rows([(0, 35), (36, 75), (76, 185), (186, 304), (305, 604), (605, 1_004)], indices: indexRanges),
        truncationDecimals: 0)
    /// NO2, 1-hour, ppb truncated to 1.
    public static let no2 = BreakpointTable(
        pollutant: .no2, averaging: "1h", unit: "ppb",
        segments: rows([(0, 53), (54, 100), (101, 360), (361, 649), (650, 1_249), (1_250, 2_049)], indices: indexRanges),
        truncationDecimals: 0)
    /// O3, 8-hour, ppm truncated to 0.001; stops at 0.200 ppm (index 300), above which EPA uses the
    /// 1-hour O3 table (not implemented here).
    public static let o3EightHour = BreakpointTable(
        pollutant: .o3, averaging: "8h", unit: "ppm",
        segments: rows([(0.000, 0.054), (0.055, 0.070), (0.071, 0.085), (0.086, 0.105), (0.106, 0.200)], indices: Array(indexRanges.prefix(5))),
        truncationDecimals: 3, aboveScale: .undefined)

    /// The table of a pollutant.
    public static func table(for pollutant: Pollutant) -> BreakpointTable {
        switch pollutant {
        case .pm25: return pm25
        case .pm10: return pm10
        case .o3: return o3EightHour
        case .no2: return no2
        case .so2: return so2
        case .co: return co
        }
    }

    /// Every table.
    public static let all: [BreakpointTable] = [pm25, pm10, co, so2, no2, o3EightHour]
}
