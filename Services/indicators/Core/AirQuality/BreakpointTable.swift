/// One row of a breakpoint table: concentrations `low…high` map linearly onto indices `indexLow…indexHigh`.
public struct BreakpointSegment: Codable, Sendable, Hashable {
    /// Lowest concentration of the row.
    public var low: Double
    /// Highest concentration of the row.
    public var high: Double
    /// Index at ``low``.
    public var indexLow: Double
    /// Index at ``high``.
    public var indexHigh: Double

    /// Creates a row.
    public init(low: Double, high: Double, indexLow: Double, indexHigh: Double) {
        self.low = low
        self.high = high
        self.indexLow = indexLow
        self.indexHigh = indexHigh
    }

    /// `(I_hi − I_lo) / (BP_hi − BP_lo) × (C − BP_lo) + I_lo`.
    public func interpolate(_ concentration: Double) -> Double {
        (indexHigh - indexLow) / (high - low) * (concentration - low) + indexLow
    }
}

/// What a table does with a concentration above its highest breakpoint.
public enum AboveScale: String, Codable, Sendable, Hashable {
    /// Continue the top row's line (values above 500 stay comparable; the category is the top one).
    case extrapolate
    /// No sub-index (e.g. the O3 8-hour column above 400 µg/m³: the 1-hour column decides).
    case undefined
}

/// A breakpoint table of one pollutant and averaging time.
///
/// VN_AQI tables are continuous (each row starts where the previous ends: 25, then 25–50); US tables
/// have gapped rows (9.0, then 9.1–35.4) and a truncation step that makes every truncated value fall
/// in a row.
public struct BreakpointTable: Codable, Sendable, Hashable {
    /// The pollutant.
    public var pollutant: Pollutant
    /// Averaging time, e.g. `1h`, `8h`, `24h`, `nowcast`.
    public var averaging: String
    /// Unit of the concentrations (`µg/m³`, `ppb`, `ppm`).
    public var unit: String
    /// The rows, in increasing concentration.
    public var segments: [BreakpointSegment]
    /// Decimals a concentration is truncated to before the lookup (`nil`: no truncation).
    public var truncationDecimals: Int?
    /// Behaviour above the top breakpoint.
    public var aboveScale: AboveScale

    /// Creates a table from explicit rows.
    public init(
        pollutant: Pollutant, averaging: String, unit: String, segments: [BreakpointSegment],
        truncationDecimals: Int? = nil, aboveScale: AboveScale = .extrapolate
    ) {
        self.pollutant = pollutant
        self.averaging = averaging
        self.unit = unit
        self.segments = segments
        self.truncationDecimals = truncationDecimals
        self.aboveScale = aboveScale
    }

    /// A continuous table from breakpoints `BP_1 … BP_n` and their indices `I_1 … I_n` (Decision 1459 form).
    public static func continuous(
        _ pollutant: Pollutant, averaging: String, unit: String = "µg/m³", breakpoints: [Double],
        indices: [Double], aboveScale: AboveScale = .extrapolate
    ) -> BreakpointTable {
        precondition(breakpoints.count == indices.count && breakpoints.count >= 2, "breakpoints and indices must pair up")
        let rows = (0..<(breakpoints.count - 1)).map {
            BreakpointSegment(low: breakpoints[$0], high: breakpoints[$0 + 1], indexLow: indices[$0], indexHigh: indices[$0 + 1])
        }
        return BreakpointTable(pollutant: pollutant, averaging: averaging, unit: unit, segments: rows, aboveScale: aboveScale)
    }

    /// The concentration actually looked up: truncated when the table says so.
    public func lookupConcentration(_ concentration: Double) -> Double {
        guard let truncationDecimals else { return concentration }
        return AQIRounding.truncate(concentration, decimals: truncationDecimals)
    }

    /// The unrounded sub-index of a concentration; `nil` for a negative or non-finite concentration
    /// or one above the scale of a table that does not extrapolate.
    public func subIndex(_ concentration: Double) -> Double? {
        guard concentration.isFinite, concentration >= 0, let top = segments.last else { return nil }
        let c = lookupConcentration(concentration)
        if let row = segments.first(where: { c <= $0.high }) {
            // A gapped table never leaves c between rows after truncation; a value below the row's
            // low end (an untruncated lookup in a gapped table) is clamped to the row start.
            return row.interpolate(max(c, row.low))
        }
        switch aboveScale {
        case .extrapolate: return top.interpolate(c)
        case .undefined: return nil
        }
    }

    /// The highest concentration of the table.
    public var maximumConcentration: Double { segments.last?.high ?? 0 }
}
