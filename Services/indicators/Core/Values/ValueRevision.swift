import CityEvents

/// What the service last published for a value identity.
public struct PublishedValue: Codable, Sendable, Hashable {
    /// The identity.
    public var identity: ValueIdentity
    /// The version published.
    public var version: Int
    /// Its content.
    public var content: ValueContent

    /// Creates a record.
    public init(identity: ValueIdentity, version: Int, content: ValueContent) {
        self.identity = identity
        self.version = version
        self.content = content
    }
}

/// The versioning rule: the first computation of an identity is version 1; a recomputation whose
/// content differs from the last published one is published as version + 1; an unchanged
/// recomputation is not published at all.
public enum ValueRevision: Sendable, Hashable {
    /// Publish this event (first version or a revision) and remember ``PublishedValue``.
    case publish(IndicatorComputed, PublishedValue)
    /// Nothing changed; publish nothing.
    case unchanged

    /// Decides what to publish for a freshly computed result given what was last published.
    public static func decide(
        _ result: IndicatorResult, previous: PublishedValue?, computedAt: Timestamp, datasetId: String, area: String? = nil
    ) -> ValueRevision {
        let content = result.content
        if let previous, previous.content == content { return .unchanged }
        let version = (previous?.version ?? 0) + 1
        return .publish(
            result.event(version: version, computedAt: computedAt, datasetId: datasetId, area: area),
            PublishedValue(identity: result.identity, version: version, content: content))
    }
}
