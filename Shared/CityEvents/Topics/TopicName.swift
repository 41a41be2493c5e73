/// The Kafka topic names of PLATFORM.md's topic table.
public enum TopicName {
    public static let observations = "city.observations.v1"
    public static let ingestRejected = "city.ingest.rejected.v1"
    public static let agencies = "city.catalog.agencies.v1"
    public static let datasets = "city.catalog.datasets.v1"
    public static let grants = "city.catalog.grants.v1"
    public static let indicatorValues = "city.indicators.values.v1"
    public static let indicatorAlerts = "city.indicators.alerts.v1"
    public static let deliveries = "city.notifications.deliveries.v1"

    /// The suffix of a dead-letter companion topic.
    public static let deadLetterSuffix = ".dlq"

    /// The dead-letter companion of a topic: `<topic>.dlq`.
    public static func deadLetter(of topic: String) -> String { topic + deadLetterSuffix }
}
