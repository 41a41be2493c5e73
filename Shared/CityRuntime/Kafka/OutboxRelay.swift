import CityEvents
import CityKafka
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// The publishing half of the transactional outbox, as a lifecycle `Service`.
///
/// One relay is active across all replicas: it holds a session advisory lock on a connection leased
/// from the pool for as long as it relays (the others retry every `lockRetryInterval`; a killed relay's
/// lock goes with its connection). It reads unsent rows in id order, `batchSize` at a time, sends them
/// with the idempotent producer (in order), and marks them sent only after every record of the batch
/// was acknowledged. It wakes on `NOTIFY <schema>_outbox` (sent by `Outbox.enqueue`) or every
/// `pollInterval`. Killed between publishing and marking, it publishes those rows again with the same
/// `ce_id`: consumers see duplicates only under the same event id.
///
/// Reading "unsent rows in id order" from the start of the table costs more with every row marked
/// sent until autovacuum runs (the partial index keeps their entries): the relay therefore reads
/// after the highest id it has relayed, and sweeps from the start every `sweepInterval` for
/// stragglers — rows of a transaction that took its ids before, and committed after, rows the relay
/// already sent. A straggler is at most `sweepInterval` late. Changes to one entity are not
/// reordered this way: they hold its row lock, so their ids follow their commit order.
public struct OutboxRelay: Service {
    public struct Configuration: Sendable {
        public var batchSize = 500
        public var pollInterval: Duration = .milliseconds(200)
        public var lockRetryInterval: Duration = .seconds(1)
        /// Wait after a batch the broker did not fully acknowledge.
        public var failureBackoff: Duration = .seconds(1)
        /// How often the relay also looks below the highest id it sent (stragglers).
        public var sweepInterval: Duration = .seconds(2)
        public init() {}
    }

    public let postgres: PostgresClient
    public let producer: KafkaProducer
    public let outbox: Outbox
    public let configuration: Configuration
    public let logger: Logger
    /// Test hook: runs after a batch was acknowledged and before it is marked sent.
    private let afterPublish: (@Sendable ([Int64]) async -> Void)?
    private let metrics: OutboxMetrics

    public init(
        postgres: PostgresClient, producer: KafkaProducer, schema: SQLIdentifier, configuration: Configuration = Configuration(),
        logger: Logger, afterPublish: (@Sendable ([Int64]) async -> Void)? = nil
    ) {
        self.postgres = postgres
        self.producer = producer
        self.outbox = Outbox(schema: schema, logger: logger)
        self.configuration = configuration
        self.logger = logger
        self.afterPublish = afterPublish
        self.metrics = OutboxMetrics(schema: schema)
    }

    private var schema: SQLIdentifier { outbox.schema }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let held = try await postgres.withConnection { connection in
                try await relayWhileHoldingLock(on: connection)
            }
            if !held {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: configuration.lockRetryInterval) }
            }
        }
    }

    /// `false` when another relay holds the lock.
    private func relayWhileHoldingLock(on connection: PostgresConnection) async throws -> Bool {
        let lockKey = "citydata.outbox.\(schema.name)"
        var acquired = false
        for try await held in try await connection.query("SELECT pg_try_advisory_lock(hashtextextended(\(lockKey), 0))", logger: logger).decode(Bool.self) {
            acquired = held
        }
        guard acquired else { return false }
        logger.info("outbox relay active", metadata: ["schema": "\(schema)"])
        let outcome: Result<Void, any Error>
        do {
            try await relay(on: connection)
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        _ = try? await connection.query("SELECT pg_advisory_unlock(hashtextextended(\(lockKey), 0))", logger: logger)
        try outcome.get()
        return true
    }

    private func relay(on connection: PostgresConnection) async throws {
        let wakeups = WakeSignal()
        let channel = outbox.channel
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await connection.listen(on: channel) { notifications in
                    for try await _ in notifications { wakeups.signal() }
                }
            }
            defer { group.cancelAll() }
            var highestSent: Int64 = 0
            var lastSweep = ContinuousClock.now
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                let sent: Int
                do {
                    var after = highestSent
                    if ContinuousClock.now - lastSweep >= configuration.sweepInterval {
                        after = 0
                        lastSweep = .now
                        try await recordOldestUnsent(on: connection)
                    }
                    let batch = try await relayBatch(after: after, on: connection)
                    sent = batch.count
                    highestSent = max(highestSent, batch.highestID)
                } catch let error as OutboxRelayError {
                    logger.error("\(error)")
                    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: configuration.failureBackoff) }
                    continue
                }
                if sent == configuration.batchSize { continue }
                await waitForWork(wakeups)
            }
        }
    }

    /// Until a `NOTIFY` or the poll interval, whichever is first (a timed-out wait leaves the
    /// wake-up signal working: see ``WakeSignal``).
    private func waitForWork(_ wakeups: WakeSignal) async {
        let interval = configuration.pollInterval
        await cancelWhenGracefulShutdown { await wakeups.wait(upTo: interval) }
    }

    /// Sets `outbox_oldest_unsent_seconds` from the lowest unsent id (the partial index's first entry).
    private func recordOldestUnsent(on connection: PostgresConnection) async throws {
        let rows = try await connection.query(
            """
            SELECT COALESCE((SELECT EXTRACT(EPOCH FROM clock_timestamp() - o.created_at)::float8
                FROM \(unescaped: schema.quoted).outbox o WHERE o.sent_at IS NULL ORDER BY o.id LIMIT 1), 0)
            """,
            logger: logger
        )
        for try await seconds in rows.decode(Double.self) { metrics.oldestUnsent(seconds: max(0, seconds)) }
    }

    /// Publishes the next batch of unsent rows with an id above `after` and marks them sent; returns
    /// how many, and the highest id among them.
    private func relayBatch(after: Int64, on connection: PostgresConnection) async throws -> (count: Int, highestID: Int64) {
        let rows = try await connection.query(
            """
            SELECT o.id, o.topic, o.key, o.value,
                ARRAY(SELECT h.header->>'name' FROM jsonb_array_elements(o.headers) WITH ORDINALITY AS h(header, position) ORDER BY h.position),
                ARRAY(SELECT decode(h.header->>'value', 'base64') FROM jsonb_array_elements(o.headers) WITH ORDINALITY AS h(header, position) ORDER BY h.position)
            FROM \(unescaped: schema.quoted).outbox o
            WHERE o.sent_at IS NULL AND o.id > \(after) ORDER BY o.id LIMIT \(configuration.batchSize)
            """,
            logger: logger
        )
        var ids: [Int64] = []
        var records: [KafkaProducerRecord] = []
        for try await (id, topic, key, value, names, values) in rows.decode((Int64, String, ByteBuffer?, ByteBuffer?, [String], [ByteBuffer]).self) {
            ids.append(id)
            let headers = zip(names, values).map { EventHeader(name: $0, value: Array($1.readableBytesView)) }
            let record = KafkaRecord(
                topic: topic, key: key.map { Array($0.readableBytesView) }, headers: headers, value: value.map { Array($0.readableBytesView) })
            records.append(KafkaProducerRecord(record))
        }
        guard let highestID = ids.last else { return (0, 0) }
        let results = await producer.send(records)
        for (index, result) in results.enumerated() {
            if case .failure(let error) = result {
                throw OutboxRelayError(schema: schema, firstUnacknowledgedID: ids[index], batch: ids.count, underlying: error)
            }
        }
        await afterPublish?(ids)
        try await connection.query("UPDATE \(unescaped: schema.quoted).outbox SET sent_at = now() WHERE id = ANY(\(ids))", logger: logger)
        metrics.relayed(ids.count)
        return (ids.count, highestID)
    }
}

/// A batch of outbox rows was not fully acknowledged; none of it was marked sent, so it is sent again
/// (with the same `ce_id`s) after `failureBackoff`.
public struct OutboxRelayError: Error, CustomStringConvertible {
    public let schema: SQLIdentifier
    public let firstUnacknowledgedID: Int64
    public let batch: Int
    public let underlying: KafkaError

    public var description: String {
        "the outbox relay of \(schema) could not publish row \(firstUnacknowledgedID) (batch of \(batch)): \(underlying); the batch stays unsent and is retried — check the brokers and that the topic exists"
    }
}
