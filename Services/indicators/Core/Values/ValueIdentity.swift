import CityEvents

/// The identity of one indicator value: indicator, source and period start. Every recomputation of
/// the same identity is a new *version* of the same value (see ``ValueRevision``).
public struct ValueIdentity: Codable, Sendable, Hashable, CustomStringConvertible {
    /// The indicator id.
    public var indicatorId: String
    /// The source (or area, for area aggregates).
    public var source: String
    /// Start of the period.
    public var periodStart: Timestamp

    /// Creates an identity.
    public init(indicatorId: String, source: String, periodStart: Timestamp) {
        self.indicatorId = indicatorId
        self.source = source
        self.periodStart = periodStart
    }

    /// The stable value id `<indicatorId>/<source>/<periodStart in UTC, RFC 3339>`, independent of the
    /// offset the period start is written with.
    public var valueId: String { "\(indicatorId)/\(source)/\(periodStart.utc.rfc3339)" }

    public var description: String { valueId }

    public static func == (lhs: ValueIdentity, rhs: ValueIdentity) -> Bool {
        lhs.indicatorId == rhs.indicatorId && lhs.source == rhs.source && lhs.periodStart.isSameInstant(as: rhs.periodStart)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(indicatorId)
        hasher.combine(source)
        hasher.combine(periodStart.secondsSinceEpoch)
        hasher.combine(periodStart.nanoseconds)
    }
}
