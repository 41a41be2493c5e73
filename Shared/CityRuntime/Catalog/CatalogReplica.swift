import CityEvents
import CityKafka
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// A read-only copy of the catalog in memory, rebuilt from the compacted topics
/// `city.catalog.agencies.v1`, `city.catalog.datasets.v1` and `city.catalog.grants.v1` read from the
/// beginning, then kept current. Services that authenticate API keys or check access (ingest,
/// notifications) run one and read ``state``; they are ready once it has ``isCaughtUp``.
///
/// Each process reads with a consumer group of its own that never commits offsets, so every replica
/// sees every record and a restart rebuilds from the topics alone.
public final class CatalogReplica: Service, Sendable {
    /// The topics a replica reads.
    public static let topics = [TopicName.agencies, TopicName.datasets, TopicName.grants]

    private let client: KafkaClientConfiguration
    private let logger: Logger
    private let shared = Mutex(Shared())

    private struct Shared: Sendable {
        var state = CatalogState()
        var progress = CatchUpProgress()
        var undecodable = 0
    }

    /// A replica reading from `bootstrapServers`. `clientID` names the process in broker logs.
    public init(bootstrapServers: String, clientID: String = "catalog-replica", logger: Logger) {
        self.client = KafkaClientConfiguration(bootstrapServers: bootstrapServers, clientID: clientID)
        self.logger = logger
    }

    /// The catalog as read so far.
    public var state: CatalogState { shared.withLock { $0.state } }

    /// Whether everything the topics held at start has been read.
    public var isCaughtUp: Bool {
        shared.withLock { shared in
            shared.progress.evaluate(now: .now)
            return shared.progress.isCaughtUp
        }
    }

    /// Records that could not be decoded (skipped with an error log; the catalog only writes valid ones).
    public var undecodableRecords: Int { shared.withLock { $0.undecodable } }

    /// A readiness probe: throws until the replica has caught up.
    public func requireCaughtUp() throws {
        guard isCaughtUp else { throw NotCaughtUp() }
    }

    /// Waits until the replica has caught up, checking every `interval`.
    public func waitUntilCaughtUp(checkEvery interval: Duration = .milliseconds(100)) async throws {
        while !isCaughtUp { try await Task.sleep(for: interval) }
    }

    /// Reads the topics until graceful shutdown or cancellation.
    public func run() async throws {
        var configuration = KafkaConsumerConfiguration(
            client: client,
            groupID: "catalog-replica.\(client.clientID).\(UUID().uuidString.lowercased())",
            topics: Self.topics
        )
        configuration.resetPolicy = .earliest
        configuration.offsetStorage = .kafka(commitInterval: .seconds(3600))
        let kafka = try KafkaConsumer(configuration: configuration, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { [self] in await self.readTargets() }
            group.addTask { [self] in
                for await event in kafka.events {
                    if case .assigned = event { self.shared.withLock { $0.progress.assigned(now: .now) } }
                }
            }
            try await consumeBuffered(kafka, capacity: configuration.batchSize) { buffer in
                while let batch = try await buffer.next(limit: configuration.batchSize) {
                    apply(batch)
                }
            }
            group.cancelAll()
        }
    }

    /// Reads the high watermarks that mark "caught up", retrying while Kafka is unreachable.
    private func readTargets() async {
        var delay = Duration.milliseconds(200)
        while !Task.isCancelled {
            do {
                let targets = try await highWatermarks()
                shared.withLock { $0.progress.setTargets(targets, now: .now) }
                logger.info("catalog replica: reading the catalog topics", metadata: ["records": "\(targets.values.reduce(0, +))"])
                return
            } catch {
                logger.warning("catalog replica: cannot read the topics' watermarks yet", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }

    private func highWatermarks() async throws(KafkaError) -> [TopicPartition: Int64] {
        let admin = try KafkaAdmin(configuration: client, logger: logger, timeout: .seconds(10))
        do {
            let metadata = try await admin.metadata()
            var targets: [TopicPartition: Int64] = [:]
            for name in Self.topics {
                for partition in metadata.topic(named: name)?.partitions ?? [] {
                    let marks = try await admin.watermarks(topic: name, partition: partition.id)
                    targets[TopicPartition(topic: name, partition: partition.id)] = marks.high
                }
            }
            await admin.shutdown()
            return targets
        } catch {
            await admin.shutdown()
            throw error
        }
    }

    private func apply(_ batch: [KafkaConsumerRecord]) {
        var failures: [(KafkaConsumerRecord, EventDecodingError)] = []
        shared.withLock { shared in
            let now = ContinuousClock.now
            for record in batch {
                let event = record.eventRecord
                do throws(EventDecodingError) {
                    switch record.topic {
                    case TopicName.agencies:
                        shared.state.apply(try EventCodec.decodeSnapshot(AgencySnapshot.self, key: event.key, headers: event.headers, value: event.value))
                    case TopicName.datasets:
                        shared.state.apply(try EventCodec.decodeSnapshot(DatasetSnapshot.self, key: event.key, headers: event.headers, value: event.value))
                    case TopicName.grants:
                        shared.state.apply(try EventCodec.decodeSnapshot(GrantSnapshot.self, key: event.key, headers: event.headers, value: event.value))
                    default:
                        break
                    }
                } catch {
                    shared.undecodable += 1
                    failures.append((record, error))
                }
                shared.progress.read(record.topicPartition, offset: record.offset, now: now)
            }
        }
        for (record, error) in failures {
            logger.error(
                "catalog replica: skipping a record that does not decode",
                metadata: ["topic": "\(record.topic)", "partition": "\(record.partition)", "offset": "\(record.offset)", "error": "\(error)"]
            )
        }
    }
}

/// The replica has not yet read the catalog topics up to where they were when it started.
public struct NotCaughtUp: Error, CustomStringConvertible {
    public var description: String { "the catalog replica is still reading the catalog topics" }
}
