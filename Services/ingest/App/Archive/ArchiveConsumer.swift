import CityEvents
import CityKafka
import CityRuntime
import Logging
import PostgresNIO

/// The archive: consumes `city.observations.v1` (or `INGEST_OBSERVATIONS_TOPIC`) in its own group and writes each observation once into
/// `<schema>.observations`. Delivery: exactly-once effect — rows and consumed offsets commit in one
/// transaction (``ExactlyOnceSink``), and rows are keyed by observation id, so records published
/// twice (a client's retry) are archived once. A record that does not decode goes to
/// `city.observations.v1.dlq` with the reason, and the archive carries on. Several workers
/// (`INGEST_ARCHIVE_WORKERS`) are members of the same group: each owns its partitions and commits
/// their offsets in its own transactions, so the guarantee holds per partition.
enum ArchiveConsumer {
    static func make(
        bootstrapServers: String, schema: SQLIdentifier, postgres: PostgresClient, repository: ArchiveRepository,
        deadLetters: DeadLetterPublisher, metrics: IngestMetrics, batch: Int, topic: String, worker: Int, logger: Logger
    ) -> ExactlyOnceSink {
        let group = "\(schema.name).archive"
        var consumer = KafkaConsumerConfiguration(
            client: KafkaClientConfiguration(bootstrapServers: bootstrapServers, clientID: "ingest-archive-\(worker)"),
            groupID: group, topics: [topic]
        )
        consumer.batchSize = max(batch, 1_000)
        let lag = metrics.archiveLag(worker: worker)
        return ExactlyOnceSink(consumer: consumer, postgres: postgres, schema: schema, maxBatch: batch, linger: .milliseconds(50), logger: logger) { records, connection in
            var observations: [ObservationRecorded] = []
            observations.reserveCapacity(records.count)
            // One decoder per batch: the ids that repeat between records (dataset, agency, source) are shared.
            var decoder = EventDecoder()
            for record in records {
                let event = record.eventRecord
                do {
                    observations.append(try decoder.decode(ObservationRecorded.self, headers: event.headers, value: event.value).payload)
                } catch {
                    try await deadLetters.publish(record, error: "\(error)", attempts: 1)
                }
            }
            try await repository.insert(observations, on: connection)
            metrics.archived(observations.count, oldestAppendMilliseconds: records.first?.timestampMilliseconds, lag: lag)
        }
    }
}
