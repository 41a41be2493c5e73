import CityEvents

/// What a subscription filter and the access rule look at in one event: its CloudEvents type and
/// the fields its payload carries.
///
/// | type | dataset | indicator | source | areas | severity |
/// |---|---|---|---|---|---|
/// | `observation.recorded` | `datasetId` | — | `sourceId` | `location.areaCode` | — |
/// | `indicator.computed` | `datasetId` | `indicatorId` | `source` | `area` | — |
/// | `indicator.alert` | `datasetId` | `indicatorId` | `source` | `area` | `severity` |
/// | `dataset.updated` | `id` | — | — | `spatial.areaCodes` | — |
public struct EventFacts: Sendable, Hashable {
    /// The CloudEvents `type`.
    public var type: String
    /// The dataset the event's data belongs to; access is decided on it.
    public var datasetId: String
    /// The indicator, for indicator events.
    public var indicatorId: String?
    /// The station or sensor.
    public var sourceId: String?
    /// Administrative area codes the event concerns.
    public var areas: [String]
    /// The severity, for alerts.
    public var severity: AlertSeverity?
    /// The key under which later events replace earlier ones when throttled, e.g.
    /// `vn_aqi_hourly/hanoi-city` for indicator events (the topic key), `<dataset>/<source>` for
    /// observations, the dataset id for dataset updates.
    public var throttleKey: String

    /// Facts from their values.
    public init(
        type: String, datasetId: String, indicatorId: String? = nil, sourceId: String? = nil, areas: [String] = [],
        severity: AlertSeverity? = nil, throttleKey: String
    ) {
        self.type = type
        self.datasetId = datasetId
        self.indicatorId = indicatorId
        self.sourceId = sourceId
        self.areas = areas
        self.severity = severity
        self.throttleKey = throttleKey
    }

    /// Facts of an observation.
    public init(_ payload: ObservationRecorded) {
        self.init(
            type: ObservationRecorded.eventType, datasetId: payload.datasetId, sourceId: payload.sourceId,
            areas: payload.location?.areaCode.map { [$0] } ?? [], throttleKey: payload.datasetId + "/" + payload.sourceId
        )
    }

    /// Facts of an indicator value.
    public init(_ payload: IndicatorComputed) {
        self.init(
            type: IndicatorComputed.eventType, datasetId: payload.datasetId, indicatorId: payload.indicatorId,
            sourceId: payload.source, areas: payload.area.map { [$0] } ?? [],
            throttleKey: IndicatorKey.make(indicatorId: payload.indicatorId, area: payload.area, source: payload.source)
        )
    }

    /// Facts of an alert.
    public init(_ payload: IndicatorAlert) {
        self.init(
            type: IndicatorAlert.eventType, datasetId: payload.datasetId, indicatorId: payload.indicatorId,
            sourceId: payload.source, areas: payload.area.map { [$0] } ?? [], severity: payload.severity,
            throttleKey: IndicatorKey.make(indicatorId: payload.indicatorId, area: payload.area, source: payload.source)
        )
    }

    /// Facts of a dataset description.
    public init(_ payload: DatasetSnapshot) {
        self.init(
            type: DatasetSnapshot.eventType, datasetId: payload.id, areas: payload.spatial?.areaCodes ?? [],
            throttleKey: payload.id
        )
    }

    /// Facts of a consumed CloudEvent of one of the ``DeliverableEventTypes``.
    public init(_ event: CloudEvent) throws(EventFactsError) {
        do {
            switch event.type {
            case ObservationRecorded.eventType: self.init(try EventCodec.event(ObservationRecorded.self, from: event).payload)
            case IndicatorComputed.eventType: self.init(try EventCodec.event(IndicatorComputed.self, from: event).payload)
            case IndicatorAlert.eventType: self.init(try EventCodec.event(IndicatorAlert.self, from: event).payload)
            case DatasetSnapshot.eventType: self.init(try EventCodec.event(DatasetSnapshot.self, from: event).payload)
            default: throw EventFactsError.notDeliverable(type: event.type)
            }
        } catch let error as EventFactsError {
            throw error
        } catch {
            throw .undecodable(type: event.type, reason: String(describing: error))
        }
    }
}

/// The event types subscribers can receive.
public enum DeliverableEventTypes {
    /// Observation, indicator value, alert and dataset description events.
    public static let all: [String] = [
        EventType.observationRecorded, EventType.indicatorComputed, EventType.indicatorAlert, EventType.datasetUpdated,
    ]
}

/// Why facts could not be taken from a CloudEvent.
public enum EventFactsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The type is not one subscribers receive.
    case notDeliverable(type: String)
    /// The data does not decode as the type's payload.
    case undecodable(type: String, reason: String)

    public var description: String {
        switch self {
        case .notDeliverable(let type): return "events of type \(type) are not delivered to subscribers"
        case .undecodable(let type, let reason): return "the data of a \(type) event does not decode: \(reason)"
        }
    }
}
