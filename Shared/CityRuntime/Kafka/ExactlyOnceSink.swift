import CityKafka
import Logging
import PostgresNIO
import ServiceLifecycle

/// An exactly-once Postgres sink as a lifecycle `Service`: the effect of a batch of records and the
/// consumed offsets are committed in ONE transaction, and on every assignment the consumer seeks to
/// the offsets stored there (`.external` offset storage), so a crash at any point neither loses nor
/// repeats an effect.
///
/// Batches take what the consumer has buffered, up to `maxBatch` records, waiting at most `linger`
/// for more. Inside the transaction the stored offsets of the batch's partitions are locked and records
/// below them are dropped (a stale batch read before a rebalance cannot apply twice). After commit the
/// offsets are also stored in Kafka, only so that lag stays visible. A failing transaction stops the
/// service (it is not retried: the batch is read again after restart).
public struct ExactlyOnceSink: Service {
    public typealias Handler = @Sendable ([KafkaConsumerRecord], PostgresConnection) async throws -> Void
    /// Called after a batch's transaction committed, with the records it applied.
    public typealias CommitObserver = @Sendable ([KafkaConsumerRecord]) -> Void

    public let consumer: KafkaConsumerConfiguration
    public let postgres: PostgresClient
    public let schema: SQLIdentifier
    public let maxBatch: Int
    public let linger: Duration
    public let logger: Logger
    private let handle: Handler
    private let committed: CommitObserver?

    /// `consumer.offsetStorage` is replaced by `.external` over `<schema>.kafka_offsets`, keeping its
    /// commit interval. `committed`, if given, learns of each batch once its transaction committed
    /// (e.g. to wake whatever works from the rows the batch wrote).
    public init(
        consumer: KafkaConsumerConfiguration, postgres: PostgresClient, schema: SQLIdentifier,
        maxBatch: Int = 500, linger: Duration = .milliseconds(20), logger: Logger,
        committed: CommitObserver? = nil, handle: @escaping Handler
    ) {
        self.committed = committed
        self.consumer = consumer
        self.postgres = postgres
        self.schema = schema
        self.maxBatch = max(1, maxBatch)
        self.linger = linger
        self.logger = logger
        self.handle = handle
    }

    public var offsetStore: PostgresOffsetStore {
        PostgresOffsetStore(client: postgres, schema: schema, consumerGroup: consumer.groupID, logger: logger)
    }

    public func run() async throws {
        var configuration = consumer
        let interval: Duration
        switch consumer.offsetStorage {
        case .kafka(let commitInterval), .external(_, let commitInterval): interval = commitInterval
        }
        let store = offsetStore
        configuration.offsetStorage = .external(provider: store, commitInterval: interval)
        let kafka = try KafkaConsumer(configuration: configuration, logger: logger)
        try await consumeBuffered(kafka, capacity: max(configuration.batchSize, maxBatch)) { buffer in
            while let batch = try await nextBatch(from: buffer) {
                try await apply(batch, store: store)
                committed?(batch)
                kafka.storeOffsets(for: batch)
            }
        }
    }

    private func nextBatch(from buffer: RecordBuffer) async throws(KafkaError) -> [KafkaConsumerRecord]? {
        guard var batch = try await buffer.next(limit: maxBatch) else { return nil }
        if batch.count < maxBatch && linger > .zero {
            try? await Task.sleep(for: linger)
            if let more = try buffer.takeAvailable(limit: maxBatch - batch.count) { batch += more }
        }
        return batch
    }

    private func apply(_ batch: [KafkaConsumerRecord], store: PostgresOffsetStore) async throws {
        do {
            try await postgres.withTransaction(logger: logger) { connection in
                let stored = try await store.lock(Set(batch.map(\.topicPartition)), on: connection)
                let fresh = batch.filter { record in stored[record.topicPartition].map { record.offset >= $0 } ?? true }
                if fresh.count < batch.count {
                    logger.info("skipping records already applied", metadata: ["skipped": "\(batch.count - fresh.count)"])
                }
                guard !fresh.isEmpty else { return }
                try await handle(fresh, connection)
                var next: [TopicPartition: Int64] = [:]
                for record in fresh { next[record.topicPartition] = max(next[record.topicPartition] ?? 0, record.offset + 1) }
                try await store.save(next, on: connection)
            }
        } catch {
            throw ExactlyOnceSinkError(schema: schema, group: consumer.groupID, records: batch.count, underlying: error)
        }
    }
}

/// A batch's transaction failed: nothing of it was applied and its offsets were not stored.
public struct ExactlyOnceSinkError: Error, CustomStringConvertible {
    public let schema: SQLIdentifier
    public let group: String
    public let records: Int
    public let underlying: any Error

    public var description: String {
        "the exactly-once sink of group \(group) could not commit a batch of \(records) records in schema \(schema): \(String(reflecting: underlying)); nothing of the batch was applied — it is read again from \(schema).kafka_offsets after restart"
    }
}
