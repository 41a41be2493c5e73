/// What an indicator is: its inputs, the period it is computed for, the method, the data-capture
/// rule, the category bands, the unit and the documents it follows. Definitions are data — the
/// registry serves them as JSON on `GET /v1/indicators` — and ``IndicatorEngine`` executes the
/// ``formula`` they name.
public struct IndicatorDefinition: Codable, Sendable, Hashable, Identifiable {
    /// Stable id used in events, Kafka keys and URLs, e.g. `vn_aqi_hourly`.
    public var id: String
    /// Display name.
    public var name: LocalizedText
    /// One or two sentences on what the value means.
    public var description: LocalizedText
    /// The family, e.g. `air_quality`, `traffic`.
    public var family: String
    /// The period one value covers.
    public var period: IndicatorPeriod
    /// The quantities it reads and how each is aggregated.
    public var inputs: [IndicatorInput]
    /// The method that turns the inputs into the value.
    public var formula: IndicatorFormula
    /// When a value exists at all, and when it is complete.
    public var dataCapture: DataCaptureRule
    /// Unit of the value (`1` for an index).
    public var unit: String
    /// Category bands, lowest first (empty when the indicator has none).
    public var bands: [CategoryBand]
    /// Limit values the value is compared against.
    public var limits: [LimitValue]
    /// Per-source parameters the formula uses (e.g. a road segment's free-flow speed).
    public var parameters: [ParameterDescription]
    /// The documents the method follows.
    public var references: [SourceDocument]

    /// Creates a definition.
    public init(
        id: String, name: LocalizedText, description: LocalizedText, family: String, period: IndicatorPeriod,
        inputs: [IndicatorInput], formula: IndicatorFormula, dataCapture: DataCaptureRule, unit: String,
        bands: [CategoryBand] = [], limits: [LimitValue] = [], parameters: [ParameterDescription] = [],
        references: [SourceDocument]
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.family = family
        self.period = period
        self.inputs = inputs
        self.formula = formula
        self.dataCapture = dataCapture
        self.unit = unit
        self.bands = bands
        self.limits = limits
        self.parameters = parameters
        self.references = references
    }

    /// The band a (rounded) value falls in, if the indicator has bands.
    public func band(for value: Double) -> CategoryBand? {
        bands.first { $0.contains(value) } ?? (value > (bands.last?.maximum ?? .infinity) ? bands.last : nil)
    }

    /// The band with this code.
    public func band(code: String) -> CategoryBand? {
        bands.first { $0.code == code }
    }

    /// The position of a category code among the bands (0 = lowest), for ordering categories.
    public func rank(ofCategory code: String) -> Int? {
        bands.firstIndex { $0.code == code }
    }

    /// The most hours before the period start any input reads (e.g. 11 for a 12-hour NowCast).
    public var lookbackHours: Int { inputs.map(\.lookbackHours).max() ?? 0 }
}

/// A text in Vietnamese and English.
public struct LocalizedText: Codable, Sendable, Hashable {
    /// Vietnamese.
    public var vi: String
    /// English.
    public var en: String

    /// Creates a text.
    public init(vi: String, en: String) {
        self.vi = vi
        self.en = en
    }
}

/// The period one value covers.
public enum IndicatorPeriod: String, Codable, Sendable, Hashable, CaseIterable {
    /// One clock hour, `[hh:00, hh+1:00)`.
    case hour
    /// One local calendar day, `[00:00, 24:00)` local time (the decision's hours 01:00–24:00 labelled by
    /// their end).
    case day
}

/// One input quantity of an indicator and how it is aggregated.
public struct IndicatorInput: Codable, Sendable, Hashable {
    /// The quantity id (see `QuantityRegistry`), e.g. `pm25`.
    public var quantity: String
    /// How its hourly means are combined.
    public var aggregation: Aggregation
    /// How many hours before the period start the aggregation reads (11 for a 12-hour NowCast, 7 for
    /// the 8-hour means ending in the first hours of a day).
    public var lookbackHours: Int
    /// Whether a new observation in the hours read makes the value stale. `false` for history a
    /// parameter is estimated from (e.g. the free-flow speed), which is read but does not trigger
    /// recomputation of every value that read it.
    public var drivesRecompute: Bool

    /// Creates an input.
    public init(quantity: String, aggregation: Aggregation, lookbackHours: Int = 0, drivesRecompute: Bool = true) {
        self.quantity = quantity
        self.aggregation = aggregation
        self.lookbackHours = lookbackHours
        self.drivesRecompute = drivesRecompute
    }
}

/// How an input's hourly means are combined.
public enum Aggregation: String, Codable, Sendable, Hashable, CaseIterable {
    /// The mean of the readings in the hour.
    case hourlyMean = "hourly_mean"
    /// The 12-hour NowCast of the hourly means (weight ≥ ½, 2 of the 3 latest hours required).
    case nowCast12h = "nowcast_12h"
    /// The mean of the day's hourly means.
    case dailyMean = "daily_mean"
    /// The day's highest hourly mean.
    case dailyMax1h = "daily_max_1h"
    /// The day's highest 8-hour running mean (windows ending in the day).
    case dailyMax8hMean = "daily_max_8h_mean"
    /// The hourly means of a trailing window (history a parameter is estimated from).
    case trailingHourlyMeans = "trailing_hourly_means"
}

/// The executable method of an indicator: a kind the engine dispatches on and its description.
public struct IndicatorFormula: Codable, Sendable, Hashable {
    /// What the engine runs.
    public var kind: FormulaKind
    /// The method in words (and symbols), for people.
    public var text: String

    /// Creates a formula.
    public init(kind: FormulaKind, text: String) {
        self.kind = kind
        self.text = text
    }
}

/// The formulas ``IndicatorEngine`` implements.
public enum FormulaKind: String, Codable, Sendable, Hashable, CaseIterable {
    /// VN_AQI hourly (Decision 1459/QĐ-TCMT): the largest sub-index, NowCast for PM.
    case vnAqiHourly = "vn_aqi_hourly"
    /// VN_AQI daily.
    case vnAqiDaily = "vn_aqi_daily"
    /// US EPA AQI of one PM2.5 concentration (2024 breakpoints).
    case usAqiPM25 = "us_aqi_pm25"
    /// US EPA AQI of the PM2.5 NowCast.
    case usAqiPM25NowCast = "us_aqi_pm25_nowcast"
    /// A 24-hour mean with exceedance of limit values.
    case dailyMeanWithLimits = "daily_mean_with_limits"
    /// Congestion from mean speed against free-flow speed.
    case congestionIndex = "congestion_index"
}

/// When a value exists and when it is complete. A value that exists but is not complete is
/// published with `complete: false`, never as complete.
public struct DataCaptureRule: Codable, Sendable, Hashable {
    /// What must be present for any value.
    public var minimum: String
    /// What must be present for a complete value.
    public var complete: String
    /// For count rules: the hours required of ``outOfHours``.
    public var requiredHours: Int?
    /// For count rules: the hours of the period.
    public var outOfHours: Int?

    /// Creates a rule.
    public init(minimum: String, complete: String, requiredHours: Int? = nil, outOfHours: Int? = nil) {
        self.minimum = minimum
        self.complete = complete
        self.requiredHours = requiredHours
        self.outOfHours = outOfHours
    }

    /// Whether `present` hours meet the count rule (true when the rule has no count).
    public func isComplete(presentHours present: Int) -> Bool {
        guard let requiredHours else { return true }
        return present >= requiredHours
    }
}

/// One category band: a closed range of (rounded) values with names and a colour.
public struct CategoryBand: Codable, Sendable, Hashable {
    /// Machine code, e.g. `poor`.
    public var code: String
    /// Names.
    public var name: LocalizedText
    /// Lowest value in the band (inclusive); `nil` when the bound is given by ``rule``.
    public var minimum: Double?
    /// Highest value in the band (inclusive); `nil` for open-ended or rule-defined bands.
    public var maximum: Double?
    /// Colour as `#rrggbb`.
    public var colour: String
    /// Alert severity of a value in this band; `nil` when such a value never alerts.
    public var severity: AlertSeveritySpec?
    /// How membership is decided when it is not a fixed range (e.g. a limit that changes by date).
    public var rule: String?

    /// Creates a band.
    public init(
        code: String, name: LocalizedText, minimum: Double?, maximum: Double?, colour: String,
        severity: AlertSeveritySpec? = nil, rule: String? = nil
    ) {
        self.code = code
        self.name = name
        self.minimum = minimum
        self.maximum = maximum
        self.colour = colour
        self.severity = severity
        self.rule = rule
    }

    /// Whether a value lies in the band's fixed range (false for rule-defined bands).
    public func contains(_ value: Double) -> Bool {
        guard minimum != nil || maximum != nil else { return false }
        return value >= (minimum ?? -.infinity) && value <= (maximum ?? .infinity)
    }
}

/// Alert severity as a definition states it (mirrors `AlertSeverity` of the alert event).
public enum AlertSeveritySpec: String, Codable, Sendable, Hashable, CaseIterable {
    case info
    case warning
    case critical
}

/// A limit value an indicator is compared with, valid over a range of local dates.
public struct LimitValue: Codable, Sendable, Hashable {
    /// Code, e.g. `qcvn_05_2023_pm25_24h`.
    public var code: String
    /// Name.
    public var name: LocalizedText
    /// The limit; a value strictly above it exceeds.
    public var value: Double
    /// Its unit.
    public var unit: String
    /// First local date it applies (`YYYY-MM-DD`), if limited.
    public var validFrom: String?
    /// First local date it no longer applies, if limited.
    public var validUntil: String?
    /// The document that sets it.
    public var reference: String

    /// Creates a limit.
    public init(
        code: String, name: LocalizedText, value: Double, unit: String, validFrom: String? = nil,
        validUntil: String? = nil, reference: String
    ) {
        self.code = code
        self.name = name
        self.value = value
        self.unit = unit
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.reference = reference
    }

    /// Whether the limit applies on a local date.
    public func applies(on date: LocalDate) -> Bool {
        let text = date.description
        if let validFrom, text < validFrom { return false }
        if let validUntil, text >= validUntil { return false }
        return true
    }
}

/// A per-source parameter a formula uses.
public struct ParameterDescription: Codable, Sendable, Hashable {
    /// Name, e.g. `freeFlowSpeedKmh`.
    public var name: String
    /// Unit.
    public var unit: String
    /// What it is and how it is obtained when not configured.
    public var description: String

    /// Creates a parameter description.
    public init(name: String, unit: String, description: String) {
        self.name = name
        self.unit = unit
        self.description = description
    }
}

/// A document a method follows.
public struct SourceDocument: Codable, Sendable, Hashable {
    /// Short citation, e.g. `Decision 1459/QĐ-TCMT (2019)`.
    public var title: String
    /// What it contributes.
    public var note: String?

    /// Creates a reference.
    public init(title: String, note: String? = nil) {
        self.title = title
        self.note = note
    }
}
