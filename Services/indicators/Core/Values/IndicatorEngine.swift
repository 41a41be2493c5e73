import CityEvents

/// Computes indicator values from hourly means — pure: the service loads the hours a value reads
/// (``hoursToLoad(_:periodStart:)``) into an ``HourlySeries``, calls ``compute(_:source:periodStart:series:parameters:)``
/// and versions the result with ``ValueRevision``.
public struct IndicatorEngine: Sendable {
    /// The local clock periods are aligned to.
    public var clock: LocalClock
    private var definitions: [String: IndicatorDefinition]

    /// An engine for the given definitions (all registered ones by default).
    public init(clock: LocalClock = .vietnam, definitions: [IndicatorDefinition] = IndicatorRegistry.all) {
        self.clock = clock
        self.definitions = Dictionary(uniqueKeysWithValues: definitions.map { ($0.id, $0) })
    }

    /// The definition with this id, or ``IndicatorError/unknownIndicator(_:)``.
    public func definition(_ id: String) throws(IndicatorError) -> IndicatorDefinition {
        guard let definition = definitions[id] else { throw .unknownIndicator(id) }
        return definition
    }

    /// The hour starts `[from, to)` a value of `indicatorId` for `periodStart` reads.
    public func hoursToLoad(_ indicatorId: String, periodStart: Timestamp) throws(IndicatorError) -> (from: Timestamp, to: Timestamp) {
        let definition = try definition(indicatorId)
        return (clock.hour(periodStart, plus: -definition.lookbackHours), clock.periodEnd(definition.period, start: periodStart))
    }

    /// Computes one value, or says why there is none (minimum data-capture rule not met).
    public func compute(
        _ indicatorId: String, source: String, periodStart: Timestamp, series: HourlySeries,
        parameters: SourceParameters = SourceParameters()
    ) throws(IndicatorError) -> IndicatorOutcome {
        let definition = try definition(indicatorId)
        let aligned = clock.periodStart(definition.period, containing: periodStart)
        guard aligned.isSameInstant(as: periodStart) else {
            throw .misalignedPeriod(indicatorId: indicatorId, periodStart: periodStart.rfc3339, expected: aligned.rfc3339)
        }
        let start = clock.local(periodStart)
        let identity = ValueIdentity(indicatorId: indicatorId, source: source, periodStart: start)
        let end = clock.periodEnd(definition.period, start: start)
        let context = FormulaContext(definition: definition, identity: identity, periodEnd: end, series: series, clock: clock)
        switch definition.formula.kind {
        case .vnAqiHourly: return AirQualityFormulas.vnAqiHourly(context)
        case .vnAqiDaily: return AirQualityFormulas.vnAqiDaily(context)
        case .usAqiPM25: return AirQualityFormulas.usAqiHourly(context)
        case .usAqiPM25NowCast: return AirQualityFormulas.usAqiNowCast(context)
        case .dailyMeanWithLimits: return AirQualityFormulas.dailyMeanWithLimits(context)
        case .congestionIndex: return CongestionIndex.compute(context, parameters: parameters)
        }
    }
}

/// Per-source parameters of formulas (configured by the service, e.g. from a road register).
public struct SourceParameters: Sendable, Hashable, Codable {
    /// A road segment's free-flow speed in km/h.
    public var freeFlowSpeedKmh: Double?

    /// Creates parameters.
    public init(freeFlowSpeedKmh: Double? = nil) {
        self.freeFlowSpeedKmh = freeFlowSpeedKmh
    }
}

/// A computed value, or no value with the reason.
public enum IndicatorOutcome: Sendable, Hashable {
    /// A value (complete or not).
    case value(IndicatorResult)
    /// No value: the minimum data-capture rule was not met.
    case noValue(ValueIdentity, reason: String)

    /// The result, if there is one.
    public var result: IndicatorResult? {
        if case .value(let result) = self { return result }
        return nil
    }
}

/// What a formula reads.
struct FormulaContext: Sendable {
    var definition: IndicatorDefinition
    var identity: ValueIdentity
    var periodEnd: Timestamp
    var series: HourlySeries
    var clock: LocalClock

    var periodStart: Timestamp { identity.periodStart }

    func result(
        value: Double, band: CategoryBand?, complete: Bool, components: [String: Double], dominant: String? = nil
    ) -> IndicatorOutcome {
        .value(IndicatorResult(
            identity: identity, periodEnd: periodEnd, value: value, unit: definition.unit, band: band, complete: complete,
            components: components, dominant: dominant))
    }

    func noValue(_ reason: String) -> IndicatorOutcome { .noValue(identity, reason: reason) }
}
