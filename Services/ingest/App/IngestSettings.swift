import CityEvents
import CityRuntime

/// Ingest's own configuration, from the environment (see docs/ingest.md for the table).
struct IngestSettings: Sendable {
    /// Largest request body (`INGEST_MAX_BODY_BYTES`, default 256 MiB); beyond it: 413.
    var maxBodyBytes: Int
    /// Most records in one request (`INGEST_MAX_RECORDS`, default 1,000,000); beyond it: 413.
    var maxRecords: Int
    /// Largest single record (`INGEST_MAX_RECORD_BYTES`, default 64 KiB); beyond it the record is rejected.
    var maxRecordBytes: Int
    /// Requests per second per agency (`INGEST_RATE_LIMIT_PER_SECOND`, default 50) and burst
    /// (`INGEST_RATE_LIMIT_BURST`, default 100); beyond them: 429 with Retry-After.
    var rateLimitPerSecond: Int
    var rateLimitBurst: Int
    /// How long Kafka may take to acknowledge (`INGEST_KAFKA_ACK_TIMEOUT`, default 10 s); then 503.
    var kafkaAckTimeout: Duration
    /// How far in the future an observation may be (`INGEST_FUTURE_TOLERANCE`, default 5 min).
    var futureTolerance: Duration
    /// Whether this process also runs the archive consumer (`INGEST_ARCHIVE`, default true).
    var runsArchive: Bool
    /// Records per archive transaction (`INGEST_ARCHIVE_BATCH`, default 5,000).
    var archiveBatch: Int
    /// Archive consumers in this process (`INGEST_ARCHIVE_WORKERS`, default 2): members of one group,
    /// each with its own partitions, Postgres connection and transactions, so one decodes and sends
    /// while another's COPY runs.
    var archiveWorkers: Int
    /// The topic accepted observations go to and the archive reads (`INGEST_OBSERVATIONS_TOPIC`,
    /// default `city.observations.v1`): another name serves a staging pipeline or an isolated test.
    var observationsTopic: String

    init(from environment: EnvironmentReader) throws(ConfigurationError) {
        maxBodyBytes = try environment.int("INGEST_MAX_BODY_BYTES", default: 256 * 1024 * 1024, range: 1_024...(16 * 1024 * 1024 * 1024))
        maxRecords = try environment.int("INGEST_MAX_RECORDS", default: 1_000_000, range: 1...100_000_000)
        maxRecordBytes = try environment.int("INGEST_MAX_RECORD_BYTES", default: 64 * 1024, range: 256...(16 * 1024 * 1024))
        rateLimitPerSecond = try environment.int("INGEST_RATE_LIMIT_PER_SECOND", default: 50, range: 1...1_000_000)
        rateLimitBurst = try environment.int("INGEST_RATE_LIMIT_BURST", default: 100, range: 1...1_000_000)
        kafkaAckTimeout = try environment.duration("INGEST_KAFKA_ACK_TIMEOUT", default: .seconds(10), range: .seconds(1)...(.seconds(300)))
        futureTolerance = try environment.duration("INGEST_FUTURE_TOLERANCE", default: .seconds(300), range: .zero...(.seconds(86_400)))
        runsArchive = try environment.bool("INGEST_ARCHIVE", default: true)
        archiveBatch = try environment.int("INGEST_ARCHIVE_BATCH", default: 5_000, range: 1...100_000)
        archiveWorkers = try environment.int("INGEST_ARCHIVE_WORKERS", default: 2, range: 1...16)
        let topic = environment.optional("INGEST_OBSERVATIONS_TOPIC") ?? TopicName.observations
        guard !topic.isEmpty, !topic.hasSuffix(TopicName.deadLetterSuffix) else {
            throw ConfigurationError(variable: "INGEST_OBSERVATIONS_TOPIC", expectation: "a topic name that is not a dead-letter topic", received: topic)
        }
        observationsTopic = topic
    }
}
