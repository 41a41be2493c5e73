/// `vn.citydata.indicator.alert.v1` on `city.indicators.alerts.v1`, keyed like indicator values: an
/// indicator crossed a threshold (``AlertKind/raised``) or came back below it
/// (``AlertKind/recovered``). Notifications fan these out to subscribers.
public struct IndicatorAlert: EventPayload, Hashable {
    public static let eventType = EventType.indicatorAlert
    public static let topic = TopicName.indicatorAlerts

    /// The indicator, e.g. `vn_aqi_hourly`.
    public var indicatorId: String
    /// The source (station).
    public var source: String
    /// The administrative area, for area aggregates.
    public var area: String?
    /// Raised or recovered.
    public var kind: AlertKind
    /// How serious; subscribers filter with a minimum severity.
    public var severity: AlertSeverity
    /// The category before the change.
    public var previousCategory: String?
    /// The category now.
    public var category: String
    /// The indicator value that triggered the alert.
    public var value: Double
    /// The threshold crossed, when the rule has one.
    public var threshold: Double?
    /// Start of the period of the triggering value.
    public var periodStart: Timestamp
    /// End of that period.
    public var periodEnd: Timestamp
    /// The dataset the inputs came from (used for access control on delivery).
    public var datasetId: String

    /// Creates an alert.
    public init(
        indicatorId: String, source: String, area: String? = nil, kind: AlertKind, severity: AlertSeverity,
        previousCategory: String? = nil, category: String, value: Double, threshold: Double? = nil,
        periodStart: Timestamp, periodEnd: Timestamp, datasetId: String
    ) {
        self.indicatorId = indicatorId
        self.source = source
        self.area = area
        self.kind = kind
        self.severity = severity
        self.previousCategory = previousCategory
        self.category = category
        self.value = value
        self.threshold = threshold
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.datasetId = datasetId
    }

    public var partitionKey: [UInt8]? { Array(IndicatorKey.make(indicatorId: indicatorId, area: area, source: source).utf8) }
    public var defaultSubject: String? { datasetId }
}

/// Whether an alert starts or ends a threshold exceedance.
public enum AlertKind: String, Codable, Sendable, Hashable, CaseIterable {
    case raised
    case recovered
}

/// Alert severity, ordered `info < warning < critical`. For VN_AQI: moderate → info, poor and bad →
/// warning, very bad and hazardous → critical.
public enum AlertSeverity: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    case info
    case warning
    case critical

    private var rank: Int {
        switch self {
        case .info: return 0
        case .warning: return 1
        case .critical: return 2
        }
    }

    public static func < (lhs: AlertSeverity, rhs: AlertSeverity) -> Bool { lhs.rank < rhs.rank }
}
