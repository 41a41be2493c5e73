import CityEvents
import IndicatorsCore

/// Applies one observation to its source's state, exactly as the core's README prescribes: admit →
/// aggregate → plan → compute → version → alert. Pure and deterministic: the same observations in
/// the same order give the same values, versions and alerts however they are cut into batches,
/// which is what makes a restart after a crash indistinguishable from an uninterrupted run.
struct ObservationFold: Sendable {
    let engine: IndicatorEngine
    let lateness: LatenessPolicy
    let alertMachines: [String: AlertStateMachine]

    /// What one observation did.
    enum Outcome: Sendable {
        /// Not admitted; the reason goes to the dead-letter topic.
        case rejected(ObservationRejection)
        /// Admitted: the new or revised values and the alerts to publish, in order.
        case applied(values: [IndicatorComputed], alerts: [IndicatorAlert])
    }

    init(clock: LocalClock, lateness: LatenessPolicy, rules: [AlertRule] = AlertRule.defaults) throws(IndicatorError) {
        engine = IndicatorEngine(clock: clock)
        self.lateness = lateness
        var machines: [String: AlertStateMachine] = [:]
        for rule in rules { machines[rule.indicatorId] = try AlertStateMachine(rule: rule) }
        alertMachines = machines
    }

    var clock: LocalClock { engine.clock }

    func apply(
        _ observation: ObservationRecorded, to state: inout SourceState, now: Timestamp, computedAt: Timestamp
    ) throws(IndicatorError) -> Outcome {
        let before = state.watermark
        let after: SourceWatermark
        switch lateness.admit(observedAt: observation.observedAt, watermark: before, now: now) {
        case .failure(let rejection): return .rejected(rejection)
        case .success(let watermark): after = watermark
        }
        state.watermark = after
        state.datasetId = observation.datasetId
        state.sourceChanged = true
        if let location = observation.location, state.located.map({ $0.observedAt <= observation.observedAt }) ?? true {
            state.located = SourceState.Located(location: location, observedAt: observation.observedAt)
        }

        let hour = clock.hourStart(of: observation.observedAt)
        let updated = HourlyAggregate.update(state.aggregates(hour: hour), with: observation, clock: clock)
        let quantities = Set(observation.measurements.filter(\.value.isFinite).map(\.quantity))
        for quantity in quantities { if let aggregate = updated[quantity] { state.update(aggregate) } }

        let plan = RecomputePlan.affected(
            source: state.source, observedAt: observation.observedAt, quantities: quantities, clock: clock,
            progress: WatermarkAdvance(from: before, to: after))
        var values: [IndicatorComputed] = []
        var alerts: [IndicatorAlert] = []
        for identity in plan.values {
            let outcome = try engine.compute(identity.indicatorId, source: state.source, periodStart: identity.periodStart, series: state.series)
            guard let result = outcome.result else { continue }
            let revision = ValueRevision.decide(
                result, previous: state.published[identity.valueId], computedAt: computedAt, datasetId: observation.datasetId)
            guard case .publish(let event, let published) = revision else { continue }
            state.published[identity.valueId] = published
            state.dirtyValues[identity.valueId] = SourceState.StoredValue(event: event, content: published.content)
            values.append(event)
            if let machine = alertMachines[identity.indicatorId] {
                let step = machine.step(state.alertStates[identity.indicatorId] ?? AlertState(), value: event)
                if step.state != state.alertStates[identity.indicatorId] {
                    state.alertStates[identity.indicatorId] = step.state
                    state.dirtyAlerts.insert(identity.indicatorId)
                }
                alerts += step.alerts
            }
        }
        return .applied(values: values, alerts: alerts)
    }

    /// The hours a batch of observations of one source can read, and the first period start it can
    /// recompute: from the earlier of the first observation's local day and the hour after the
    /// source's watermark (hours the watermark passes get values), minus the longest look-back of
    /// the definitions reading these quantities; up to three days after the last observation's day.
    func window(observedAt times: [Timestamp], quantities: Set<String>, watermark: SourceWatermark) -> (readFrom: Timestamp, valuesFrom: Timestamp, to: Timestamp)? {
        guard let first = times.min(), let last = times.max() else { return nil }
        var valuesFrom = clock.dayStart(of: first)
        if let newest = watermark.newestObservedAt { valuesFrom = min(valuesFrom, clock.hourStart(of: newest)) }
        let lookback = IndicatorRegistry.all
            .filter { definition in definition.inputs.contains { quantities.contains($0.quantity) } }
            .map(\.lookbackHours).max() ?? 0
        let readFrom = clock.hour(valuesFrom, plus: -lookback - 1)
        let to = clock.hour(clock.dayStart(of: last), plus: 72)
        return (readFrom, valuesFrom, to)
    }
}
