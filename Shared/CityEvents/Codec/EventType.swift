/// The CloudEvents `type` strings of every CityData event. Reverse-DNS and versioned: within a
/// `.v1` type only additive, optional changes are allowed.
public enum EventType {
    public static let observationRecorded = "vn.citydata.observation.recorded.v1"
    public static let ingestRejected = "vn.citydata.ingest.rejected.v1"
    public static let agencyUpdated = "vn.citydata.agency.updated.v1"
    public static let datasetUpdated = "vn.citydata.dataset.updated.v1"
    public static let grantUpdated = "vn.citydata.grant.updated.v1"
    public static let indicatorComputed = "vn.citydata.indicator.computed.v1"
    public static let indicatorAlert = "vn.citydata.indicator.alert.v1"
    public static let deliveryOutcome = "vn.citydata.notification.delivery.v1"
    public static let deadLetter = "vn.citydata.deadletter.recorded.v1"

    /// Every type above, in the order of the topic table.
    public static let all: [String] = [
        observationRecorded, ingestRejected, agencyUpdated, datasetUpdated, grantUpdated,
        indicatorComputed, indicatorAlert, deliveryOutcome, deadLetter,
    ]

    /// Whether `type` is one of this module's event types.
    public static func isKnown(_ type: String) -> Bool { all.contains(type) }
}
