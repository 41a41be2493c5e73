import CityEvents

/// Which derived values an observation changes: its hour, the NowCast hours that read it (that hour
/// and the 11 after it), its local day (and, for inputs read across midnight such as the O3 8-hour
/// mean, the next day) — as value identities the service recomputes, and republishes if changed.
///
/// With a ``WatermarkAdvance`` the plan follows the source's event time: a period that has not begun
/// at the source's newest observation is not computed yet (no value is published for 21:00 at
/// 10:20); when the watermark moves on past hours without data, those hours' NowCast values (from
/// the hours before them) are computed then.
public struct RecomputePlan: Sendable, Hashable {
    /// The hour the observation falls in.
    public var hour: Timestamp
    /// The hours whose 12-hour NowCast includes that hour, oldest first (the hour and the next 11).
    public var nowCastHours: [Timestamp]
    /// The local days whose daily values read that hour.
    public var days: [LocalDate]
    /// Every indicator value to recompute, by definition order then period.
    public var values: [ValueIdentity]

    /// The plan for an observation of `quantities` from `source` at `observedAt`.
    ///
    /// A value of definition `d` for the period `[start, end)` reads the hours
    /// `[start − lookback, end)` of its inputs; the plan lists every period of every definition with
    /// a recompute-driving input among `quantities` whose read range contains the observation's hour
    /// — limited, when `progress` is given, to periods that have begun at the source's watermark, plus
    /// the hourly look-back values of hours the watermark has just passed.
    public static func affected(
        source: String, observedAt: Timestamp, quantities: Set<String>, clock: LocalClock,
        progress: WatermarkAdvance? = nil, definitions: [IndicatorDefinition] = IndicatorRegistry.all
    ) -> RecomputePlan {
        let hour = clock.hourStart(of: observedAt)
        let nowCastHours = (0..<NowCast.hours).map { clock.hour(hour, plus: $0) }
        let openUntil = progress.map { clock.hourStart(of: $0.current) }
        func isOpen(_ start: Timestamp) -> Bool { openUntil.map { start <= $0 } ?? true }
        var days: [LocalDate] = []
        var values: [ValueIdentity] = []
        for definition in definitions {
            let lookback = definition.inputs.filter { $0.drivesRecompute && quantities.contains($0.quantity) }.map(\.lookbackHours).max()
            var starts: [Timestamp] = []
            switch definition.period {
            case .hour:
                // Hours h … h + lookback read hour h.
                if let lookback { starts = (0...lookback).map { clock.hour(hour, plus: $0) }.filter(isOpen) }
                starts += passedHours(definition, progress: progress, clock: clock).filter { passed in
                    !starts.contains { $0.isSameInstant(as: passed) }
                }
            case .day:
                guard let lookback else { continue }
                // Days containing h … h + lookback (a day reads its own hours and `lookback` before).
                var seen: [LocalDate] = []
                for offset in 0...lookback {
                    let date = clock.date(of: clock.hour(hour, plus: offset))
                    if !seen.contains(date), isOpen(clock.start(of: date)) { seen.append(date) }
                }
                for date in seen where !days.contains(date) { days.append(date) }
                starts = seen.map { clock.start(of: $0) }
            }
            values += starts.sorted().map { ValueIdentity(indicatorId: definition.id, source: source, periodStart: $0) }
        }
        return RecomputePlan(hour: hour, nowCastHours: nowCastHours, days: days.sorted(), values: values)
    }

    /// Hours in `(previous hour, current hour]` of the watermark that an hourly definition with a
    /// look-back can give a value for from earlier hours (e.g. a NowCast from the two hours before a
    /// gap).
    static func passedHours(_ definition: IndicatorDefinition, progress: WatermarkAdvance?, clock: LocalClock) -> [Timestamp] {
        let lookback = definition.inputs.filter(\.drivesRecompute).map(\.lookbackHours).max() ?? 0
        guard lookback > 0, let progress, let previous = progress.previous else { return [] }
        let from = clock.hourStart(of: previous)
        let to = clock.hourStart(of: progress.current)
        let count = Int((to.secondsSinceEpoch - from.secondsSinceEpoch) / 3_600)
        guard count > 0 else { return [] }
        return (1...min(count, lookback)).map { clock.hour(from, plus: $0) }
    }
}

/// How a source's watermark moved when an observation was admitted (see ``LatenessPolicy/admit(observedAt:watermark:now:)``).
public struct WatermarkAdvance: Sendable, Hashable {
    /// The newest observation time before (nil for the source's first observation).
    public var previous: Timestamp?
    /// The newest observation time after.
    public var current: Timestamp

    /// Creates an advance.
    public init(previous: Timestamp?, current: Timestamp) {
        self.previous = previous
        self.current = current
    }

    /// The advance between two watermarks of a source; `nil` when `after` has no observation.
    public init?(from before: SourceWatermark, to after: SourceWatermark) {
        guard let current = after.newestObservedAt else { return nil }
        self.init(previous: before.newestObservedAt, current: current)
    }
}
