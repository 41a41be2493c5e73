import CityEvents

/// The running aggregate of one quantity of one source over one local clock hour — the row the
/// indicators service keeps per `(source, quantity, hourStart)` and updates with every observation.
///
/// Duplicates: the same observation redelivered must not be added twice; the service guards with
/// its inbox (observation id) before calling ``adding(_:observedAt:)``.
public struct HourlyAggregate: Codable, Sendable, Hashable {
    /// The source (station, road segment).
    public var source: String
    /// The quantity id.
    public var quantity: String
    /// Start of the hour (local clock hour, written with the local offset).
    public var hourStart: Timestamp
    /// Sum of the values.
    public var sum: Double
    /// Number of values.
    public var count: Int
    /// Smallest value.
    public var minimum: Double
    /// Largest value.
    public var maximum: Double
    /// Earliest observation time in the hour.
    public var firstObservedAt: Timestamp
    /// Latest observation time in the hour.
    public var lastObservedAt: Timestamp

    /// The aggregate of a single value.
    public init(source: String, quantity: String, hourStart: Timestamp, value: Double, observedAt: Timestamp) {
        self.source = source
        self.quantity = quantity
        self.hourStart = hourStart
        self.sum = value
        self.count = 1
        self.minimum = value
        self.maximum = value
        self.firstObservedAt = observedAt
        self.lastObservedAt = observedAt
    }

    /// Creates an aggregate from stored fields.
    public init(
        source: String, quantity: String, hourStart: Timestamp, sum: Double, count: Int, minimum: Double,
        maximum: Double, firstObservedAt: Timestamp, lastObservedAt: Timestamp
    ) {
        self.source = source
        self.quantity = quantity
        self.hourStart = hourStart
        self.sum = sum
        self.count = count
        self.minimum = minimum
        self.maximum = maximum
        self.firstObservedAt = firstObservedAt
        self.lastObservedAt = lastObservedAt
    }

    /// The mean of the hour.
    public var mean: Double { sum / Double(count) }

    /// The aggregate with one more value.
    public func adding(_ value: Double, observedAt: Timestamp) -> HourlyAggregate {
        var copy = self
        copy.sum += value
        copy.count += 1
        copy.minimum = min(minimum, value)
        copy.maximum = max(maximum, value)
        copy.firstObservedAt = min(firstObservedAt, observedAt)
        copy.lastObservedAt = max(lastObservedAt, observedAt)
        return copy
    }

    /// The aggregates of the observation's hour after adding its measurements. `existing` holds the
    /// stored aggregates of this source for that hour, by quantity (an entry of another hour is
    /// replaced by a fresh aggregate); non-finite values are skipped.
    public static func update(
        _ existing: [String: HourlyAggregate], with observation: ObservationRecorded, clock: LocalClock
    ) -> [String: HourlyAggregate] {
        let hour = clock.hourStart(of: observation.observedAt)
        var result = existing
        for measurement in observation.measurements where measurement.value.isFinite {
            if let current = result[measurement.quantity], current.hourStart.isSameInstant(as: hour) {
                result[measurement.quantity] = current.adding(measurement.value, observedAt: observation.observedAt)
            } else {
                result[measurement.quantity] = HourlyAggregate(
                    source: observation.sourceId, quantity: measurement.quantity, hourStart: hour,
                    value: measurement.value, observedAt: observation.observedAt)
            }
        }
        return result
    }
}

/// The hourly means of one source, looked up by quantity and hour — what the service loads from its
/// aggregate table for the hours an indicator reads (see ``IndicatorDefinition/lookbackHours``).
public struct HourlySeries: Sendable, Hashable {
    /// The source.
    public var source: String
    private var means: [String: [Int64: Double]] = [:]
    private var counts: [String: [Int64: Int]] = [:]

    /// An empty series.
    public init(source: String) {
        self.source = source
    }

    /// A series from stored aggregates (of this source; others are ignored).
    public init(source: String, aggregates: [HourlyAggregate]) {
        self.source = source
        for aggregate in aggregates where aggregate.source == source && aggregate.count > 0 {
            set(aggregate.quantity, hourStart: aggregate.hourStart, mean: aggregate.mean, count: aggregate.count)
        }
    }

    /// Sets the mean of a quantity in an hour.
    public mutating func set(_ quantity: String, hourStart: Timestamp, mean: Double, count: Int = 1) {
        means[quantity, default: [:]][hourStart.secondsSinceEpoch] = mean
        counts[quantity, default: [:]][hourStart.secondsSinceEpoch] = count
    }

    /// The mean of a quantity in the hour starting at `hourStart`, if any reading exists.
    public func mean(_ quantity: String, hourStart: Timestamp) -> Double? {
        means[quantity]?[hourStart.secondsSinceEpoch]
    }

    /// The number of readings behind a mean (0 when none).
    public func count(_ quantity: String, hourStart: Timestamp) -> Int {
        counts[quantity]?[hourStart.secondsSinceEpoch] ?? 0
    }

    /// The means of `count` hours going back from `hourStart` (index 0 = `hourStart`), as a NowCast reads them.
    public func backwards(_ quantity: String, from hourStart: Timestamp, count: Int) -> [Double?] {
        (0..<count).map { mean(quantity, hourStart: Timestamp(secondsSinceEpoch: hourStart.secondsSinceEpoch - Int64($0) * 3_600)) }
    }

    /// The means at the given hours, in order.
    public func values(_ quantity: String, at hours: [Timestamp]) -> [Double?] {
        hours.map { mean(quantity, hourStart: $0) }
    }
}
