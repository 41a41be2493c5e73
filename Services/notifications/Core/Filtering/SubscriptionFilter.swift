import CityEvents

/// Which events a subscription wants — the `filter` object of `POST /v1/subscriptions`:
/// `{"types": […], "datasetIds": […], "indicatorIds": […], "sourceIds": […], "areas": […],
/// "minSeverity": "warning"}`.
///
/// Every field is optional. A present field is a condition; an event matches when it meets every
/// condition (AND), and a list condition is met when the event's value is one of the list (OR).
/// A condition on a field the event does not carry is not met: `indicatorIds` only matches indicator
/// events, `minSeverity` only alerts, `areas` only events with an area.
public struct SubscriptionFilter: Codable, Sendable, Hashable {
    /// CloudEvents types, from ``DeliverableEventTypes``.
    public var types: [String]?
    /// Dataset ids.
    public var datasetIds: [String]?
    /// Indicator ids, e.g. `vn_aqi_hourly`.
    public var indicatorIds: [String]?
    /// Station or sensor ids.
    public var sourceIds: [String]?
    /// Administrative area codes.
    public var areas: [String]?
    /// The lowest alert severity delivered.
    public var minSeverity: AlertSeverity?

    /// A filter; `nil` fields are no condition.
    public init(
        types: [String]? = nil, datasetIds: [String]? = nil, indicatorIds: [String]? = nil, sourceIds: [String]? = nil,
        areas: [String]? = nil, minSeverity: AlertSeverity? = nil
    ) {
        self.types = types
        self.datasetIds = datasetIds
        self.indicatorIds = indicatorIds
        self.sourceIds = sourceIds
        self.areas = areas
        self.minSeverity = minSeverity
    }

    /// Whether `event` meets every condition.
    public func matches(_ event: EventFacts) -> Bool {
        if let types, !types.contains(event.type) { return false }
        if let datasetIds, !datasetIds.contains(event.datasetId) { return false }
        if let indicatorIds, !(event.indicatorId.map(indicatorIds.contains) ?? false) { return false }
        if let sourceIds, !(event.sourceId.map(sourceIds.contains) ?? false) { return false }
        if let areas, !event.areas.contains(where: areas.contains) { return false }
        if let minSeverity, !(event.severity.map { $0 >= minSeverity } ?? false) { return false }
        return true
    }

    /// What is wrong with this filter, as (JSON pointer, reason) pairs for a 422 problem; empty when
    /// it is valid. An empty list is refused (it would match nothing; omit the field to match all),
    /// and so are unknown event types and conditions no event of the chosen types can meet.
    public func problems() -> [FilterProblem] {
        var problems: [FilterProblem] = []
        let lists: [(String, [String]?)] = [
            ("types", types), ("datasetIds", datasetIds), ("indicatorIds", indicatorIds), ("sourceIds", sourceIds), ("areas", areas),
        ]
        for (name, list) in lists {
            guard let list else { continue }
            if list.isEmpty {
                problems.append(FilterProblem(pointer: "/filter/\(name)", reason: "an empty list matches nothing; omit \(name) to match every value"))
            }
            for (index, value) in list.enumerated() where value.isEmpty || value.count > 200 {
                problems.append(FilterProblem(pointer: "/filter/\(name)/\(index)", reason: "must be a non-empty id of at most 200 characters"))
            }
        }
        if let types {
            for (index, type) in types.enumerated() where !DeliverableEventTypes.all.contains(type) {
                problems.append(FilterProblem(
                    pointer: "/filter/types/\(index)",
                    reason: "\(type) is not a deliverable event type; use one of \(DeliverableEventTypes.all.joined(separator: ", "))"
                ))
            }
            let indicatorTypes = [EventType.indicatorComputed, EventType.indicatorAlert]
            if indicatorIds != nil, !types.contains(where: indicatorTypes.contains) {
                problems.append(FilterProblem(pointer: "/filter/indicatorIds", reason: "only indicator events carry an indicator id; add an indicator type to types"))
            }
            if minSeverity != nil, !types.contains(EventType.indicatorAlert) {
                problems.append(FilterProblem(pointer: "/filter/minSeverity", reason: "only alerts carry a severity; add \(EventType.indicatorAlert) to types"))
            }
        }
        return problems
    }
}

/// One problem of a filter, located by a JSON pointer into the request body.
public struct FilterProblem: Sendable, Hashable, CustomStringConvertible {
    /// E.g. `/filter/types/0`.
    public var pointer: String
    /// What is wrong and what to do.
    public var reason: String

    public var description: String { "\(pointer): \(reason)" }
}
