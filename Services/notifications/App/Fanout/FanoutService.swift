import CityEvents
import CityKafka
import CityRuntime
import Foundation
import Logging
import NotificationsCore
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The fan-out, as a lifecycle service: reads the event topics with an ``ExactlyOnceSink`` (group
/// `<schema>.fanout`) and, for every event that matches an active subscription's filter and whose
/// dataset that subscription's agency may see, queues a delivery in the same transaction as the
/// consumed offsets — each (subscription, event) is queued exactly once.
///
/// On its very first start (no stored offsets) it records the topics' current ends as its start,
/// before it reports ready: events published after readiness are never missed, and a new deployment
/// does not deliver the topics' history. It starts reading once the catalog replica has caught up,
/// so that access decisions see the catalog.
struct FanoutService: Service {
    /// The topics whose events subscribers can receive (see ``DeliverableEventTypes``).
    static let topics = [TopicName.observations, TopicName.indicatorValues, TopicName.indicatorAlerts, TopicName.datasets]

    let postgres: PostgresClient
    let schema: SQLIdentifier
    let bootstrapServers: String
    let replica: CatalogReplica
    /// Rung after every committed batch, so the sender claims what it queued at once.
    let queued: WakeSignal
    /// Events read into one transaction at most.
    let maxBatch: Int
    let logger: Logger
    private let started = StartFlag()

    init(
        postgres: PostgresClient, schema: SQLIdentifier, bootstrapServers: String, replica: CatalogReplica, queued: WakeSignal,
        maxBatch: Int, logger: Logger
    ) {
        self.queued = queued
        self.maxBatch = maxBatch
        self.postgres = postgres
        self.schema = schema
        self.bootstrapServers = bootstrapServers
        self.replica = replica
        self.logger = logger
    }

    var groupID: String { "\(schema.name).fanout" }

    /// A readiness probe: throws until the start offsets are recorded.
    func requireStarted() throws {
        guard started.isSet else { throw FanoutNotStarted() }
    }

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await recordStartOffsets() }
            started.set()
            try await cancelWhenGracefulShutdown { try await self.replica.waitUntilCaughtUp() }
        } catch is CancellationError {
            return  // shut down before the fan-out started
        }
        guard !Task.isShuttingDownGracefully else { return }
        var consumer = KafkaConsumerConfiguration(
            client: KafkaClientConfiguration(bootstrapServers: bootstrapServers, clientID: "notifications-fanout"),
            groupID: groupID, topics: Self.topics
        )
        consumer.resetPolicy = .earliest
        let catalogReplica = self.replica
        let logger = self.logger
        let queued = self.queued
        let sink = ExactlyOnceSink(
            consumer: consumer, postgres: postgres, schema: schema, maxBatch: maxBatch, logger: logger, committed: { _ in queued.signal() }) { batch, connection in
            let subscriptions = try await SubscriptionStore.active(on: connection, logger: logger)
            guard !subscriptions.isEmpty else { return }
            let deliveries = FanoutPlanner(subscriptions: subscriptions, catalog: catalogReplica.state, logger: logger).deliveries(for: batch)
            try await DeliveryStore.enqueue(deliveries.filter { $0.throttleSeconds == 0 }, on: connection, logger: logger)
            try await ThrottleStore.offer(deliveries.filter { $0.throttleSeconds > 0 }, now: .now(), on: connection, logger: logger)
        }
        try await sink.run()
    }

    /// Stores each partition's current end as the start offset of a group that has none yet.
    private func recordStartOffsets() async throws {
        var delay = Duration.milliseconds(200)
        while true {
            do {
                try await storeEnds()
                return
            } catch {
                logger.warning("fan-out: cannot read the event topics' ends yet", metadata: ["error": "\(error)"])
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }

    private func storeEnds() async throws {
        let existing = try await postgres.query(
            "SELECT count(*) FROM \(unescaped: schema.quoted).kafka_offsets WHERE consumer_group = \(groupID)", logger: logger
        )
        for try await count in existing.decode(Int.self) where count > 0 { return }
        let admin = try KafkaAdmin(configuration: KafkaClientConfiguration(bootstrapServers: bootstrapServers, clientID: "notifications-fanout"), logger: logger, timeout: .seconds(10))
        var ends: [(topic: String, partition: Int32, offset: Int64)] = []
        do {
            let metadata = try await admin.metadata()
            for topic in Self.topics {
                guard let partitions = metadata.topic(named: topic)?.partitions, !partitions.isEmpty else {
                    throw FanoutTopicMissing(topic: topic)
                }
                for partition in partitions {
                    ends.append((topic, partition.id, try await admin.watermarks(topic: topic, partition: partition.id).high))
                }
            }
            await admin.shutdown()
        } catch {
            await admin.shutdown()
            throw error
        }
        try await postgres.query(
            """
            INSERT INTO \(unescaped: schema.quoted).kafka_offsets (consumer_group, topic, partition, next_offset)
            SELECT \(groupID), * FROM unnest(\(ends.map(\.topic))::text[], \(ends.map { Int($0.partition) })::int[], \(ends.map { Int($0.offset) })::bigint[])
            ON CONFLICT (consumer_group, topic, partition) DO NOTHING
            """,
            logger: logger
        )
        logger.info("fan-out: starting at the event topics' current ends", metadata: ["partitions": "\(ends.count)"])
    }
}

/// Set once, read by the readiness probe.
private final class StartFlag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}

/// The fan-out has not yet recorded where it starts reading.
struct FanoutNotStarted: Error, CustomStringConvertible {
    var description: String { "the fan-out has not yet recorded its start offsets on the event topics" }
}

/// An event topic the fan-out reads does not exist.
struct FanoutTopicMissing: Error, CustomStringConvertible {
    var topic: String
    var description: String { "topic \(topic) does not exist; create the platform's topics (citytopics apply)" }
}
