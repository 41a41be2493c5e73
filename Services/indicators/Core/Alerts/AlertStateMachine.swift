import CityEvents

/// The alert state of one (indicator, source), stored by the service between values.
public struct AlertState: Codable, Sendable, Hashable {
    /// Whether an alert is raised.
    public var isRaised: Bool = false
    /// The highest category alerted in the current episode.
    public var highestCategory: String?
    /// Consecutive periods at or below the recovery bound.
    public var periodsBelow: Int = 0
    /// The last period counted in ``periodsBelow`` (a revision of the same period does not count twice).
    public var lastCountedPeriod: Timestamp?
    /// The period of the last value evaluated.
    public var lastPeriodStart: Timestamp?
    /// The category of that value.
    public var lastCategory: String?

    /// The initial state: nothing raised.
    public init() {}
}

/// The pure alert state machine: feed it a source's values in period order, get the alerts to publish.
public struct AlertStateMachine: Sendable {
    /// The rule.
    public var rule: AlertRule
    /// The indicator's definition (its bands order categories and give severities).
    public var definition: IndicatorDefinition

    /// A machine for a rule.
    public init(rule: AlertRule, definition: IndicatorDefinition) {
        self.rule = rule
        self.definition = definition
    }

    /// A machine for a registered rule.
    public init(rule: AlertRule) throws(IndicatorError) {
        self.init(rule: rule, definition: try IndicatorRegistry.require(rule.indicatorId))
    }

    /// Evaluates the next value. Values of periods before the last one evaluated (late revisions of
    /// the past) change nothing; a revision of the last period is evaluated again.
    public func step(_ state: AlertState, value: IndicatorComputed) -> (state: AlertState, alerts: [IndicatorAlert]) {
        if let last = state.lastPeriodStart, value.periodStart < last { return (state, []) }
        guard let threshold = rule.threshold(for: value), let category = value.category else { return (state, []) }
        var next = state
        var alerts: [IndicatorAlert] = []
        if value.value > threshold {
            next.periodsBelow = 0
            next.lastCountedPeriod = nil
            if !state.isRaised {
                next.isRaised = true
                next.highestCategory = category
                alerts.append(alert(.raised, value: value, previous: state.lastCategory, category: category, threshold: threshold, severityOf: category))
            } else if rank(category) > rank(state.highestCategory) {
                next.highestCategory = category
                alerts.append(alert(.raised, value: value, previous: state.lastCategory, category: category, threshold: threshold, severityOf: category))
            }
        } else if value.value <= threshold - rule.recoveryMargin {
            if state.isRaised {
                if let counted = state.lastCountedPeriod, counted.isSameInstant(as: value.periodStart) {
                    // A revision of a period already counted.
                } else {
                    next.periodsBelow += 1
                    next.lastCountedPeriod = value.periodStart
                }
                if next.periodsBelow >= rule.recoveryPeriods {
                    alerts.append(alert(
                        .recovered, value: value, previous: state.highestCategory, category: category, threshold: threshold,
                        severityOf: state.highestCategory ?? category))
                    next.isRaised = false
                    next.highestCategory = nil
                    next.periodsBelow = 0
                    next.lastCountedPeriod = nil
                }
            }
        } else {
            // Between the recovery bound and the threshold: neither raise nor count toward recovery.
            next.periodsBelow = 0
            next.lastCountedPeriod = nil
        }
        next.lastPeriodStart = value.periodStart
        next.lastCategory = category
        return (next, alerts)
    }

    private func rank(_ category: String?) -> Int {
        category.flatMap { definition.rank(ofCategory: $0) } ?? -1
    }

    private func alert(
        _ kind: AlertKind, value: IndicatorComputed, previous: String?, category: String, threshold: Double, severityOf code: String
    ) -> IndicatorAlert {
        let severity = definition.band(code: code)?.severity.flatMap { AlertSeverity(rawValue: $0.rawValue) } ?? .warning
        return IndicatorAlert(
            indicatorId: value.indicatorId, source: value.source, area: value.area, kind: kind, severity: severity,
            previousCategory: previous, category: category, value: value.value, threshold: threshold,
            periodStart: value.periodStart, periodEnd: value.periodEnd, datasetId: value.datasetId)
    }
}
