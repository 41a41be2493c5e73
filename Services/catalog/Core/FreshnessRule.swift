import CityEvents

/// When a dataset is late: nothing arrived within its update frequency plus a grace period, counted
/// from its latest observation (or, before the first one, from when the dataset was created).
public struct FreshnessRule: Sendable, Hashable {
    /// Extra time allowed beyond the update frequency (`FRESHNESS_GRACE`, default 15 minutes).
    public var grace: Duration

    /// Creates a rule.
    public init(grace: Duration) { self.grace = grace }

    /// Whether a dataset updated every `frequency` is late at `now`.
    public func isLate(frequency: ISODuration, lastObservedAt: Timestamp?, createdAt: Timestamp, now: Timestamp) -> Bool {
        let reference = lastObservedAt ?? createdAt
        let allowed = frequency.seconds + Double(grace.components.seconds) + Double(grace.components.attoseconds) / 1e18
        return Self.seconds(from: reference, to: now) > allowed
    }

    private static func seconds(from start: Timestamp, to end: Timestamp) -> Double {
        Double(end.secondsSinceEpoch - start.secondsSinceEpoch) + Double(end.nanoseconds - start.nanoseconds) / 1e9
    }
}

/// The latest observation time and count per dataset and source of a batch of observations.
public struct ObservationTally: Sendable {
    /// One dataset and source.
    public struct Key: Sendable, Hashable {
        public var datasetID: String
        public var sourceID: String
    }

    /// The latest `observedAt` and the number of observations seen per key.
    public private(set) var entries: [Key: (latest: Timestamp, count: Int)] = [:]

    /// An empty tally.
    public init() {}

    /// Counts one observation.
    public mutating func add(datasetID: String, sourceID: String, observedAt: Timestamp) {
        let key = Key(datasetID: datasetID, sourceID: sourceID)
        if let entry = entries[key] {
            entries[key] = (max(entry.latest, observedAt), entry.count + 1)
        } else {
            entries[key] = (observedAt, 1)
        }
    }
}
