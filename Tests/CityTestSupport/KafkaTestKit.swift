import CityKafka
import CityRuntime
import Foundation
import Logging
import PostgresNIO
import Synchronization
import Testing

/// Producing, reading back and running the `runtime-probe` for the consumer-pattern tests.
public enum KafkaTestKit {
    public static let logger: Logger = {
        var logger = Logger(label: "citydata.tests.kafka") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = .error
        return logger
    }()

    /// A unique topic or group name.
    public static func uniqueName(_ prefix: String) -> String { "\(prefix)-\(String(UInt32.random(in: .min ... .max), radix: 16))" }

    /// Produces `records` and fails the test if any was not acknowledged.
    public static func produce(_ records: [KafkaProducerRecord], to cluster: DevCluster) async throws {
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: cluster.client), logger: logger)
        let outcomes = await producer.send(records)
        await producer.shutdown()
        for outcome in outcomes { _ = try outcome.get() }
    }

    /// Reads `topic` from the beginning until `count` records arrived (or `limit` passed).
    public static func read(_ topic: String, count: Int, from cluster: DevCluster, within limit: Duration = .seconds(30)) async throws -> [KafkaConsumerRecord] {
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(client: cluster.client, groupID: uniqueName("reader"), topics: [topic]),
            logger: logger
        )
        let collected = try await withDeadline(limit) {
            var records: [KafkaConsumerRecord] = []
            for try await record in consumer.records {
                records.append(record)
                if records.count >= count { break }
            }
            return records
        }
        await consumer.close()
        return collected
    }

    /// Reads `topic` from the beginning, keeping the records `keep` accepts, until `done` holds for
    /// them; throws ``ExpectationTimedOut`` after `limit` (the shared topics hold every test's records).
    public static func read(
        _ topic: String, client: KafkaClientConfiguration, within limit: Duration = .seconds(60),
        keep: @escaping @Sendable (KafkaConsumerRecord) -> Bool, until done: @escaping @Sendable ([KafkaConsumerRecord]) -> Bool
    ) async throws -> [KafkaConsumerRecord] {
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(client: client, groupID: uniqueName("reader"), topics: [topic]), logger: logger)
        let collected = RecordCollector()
        let finished = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    for try await record in consumer.records where keep(record) {
                        collected.append(record)
                        if done(collected.all) { return true }
                    }
                } catch {}
                return false
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return false
            }
            let first = await group.next() ?? false
            await consumer.close()
            group.cancelAll()
            await group.waitForAll()
            return first
        }
        guard finished else {
            throw ExpectationTimedOut(description: "\(topic): the expected records did not arrive within \(limit); got \(collected.count)")
        }
        return collected.all
    }

    /// Reads what `topic` holds, stopping when nothing new arrived for `quiet`.
    public static func readAll(_ topic: String, from cluster: DevCluster, quiet: Duration = .seconds(3)) async throws -> [KafkaConsumerRecord] {
        try await readAll(topic, client: cluster.client, quiet: quiet)
    }

    /// Reads what `topic` of any cluster holds (e.g. the shared one at ``LiveKafka``), stopping when
    /// nothing new arrived for `quiet`.
    public static func readAll(_ topic: String, client: KafkaClientConfiguration, quiet: Duration = .seconds(3)) async throws -> [KafkaConsumerRecord] {
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(client: client, groupID: uniqueName("reader"), topics: [topic]),
            logger: logger
        )
        let records = RecordCollector()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do { for try await record in consumer.records { records.append(record) } } catch {}
            }
            // The first join of a group takes about 3 s; then wait for quiet.
            try? await Task.sleep(for: .seconds(4))
            var seen = -1
            while seen != records.count {
                seen = records.count
                try? await Task.sleep(for: quiet)
            }
            await consumer.close()
            await group.waitForAll()
        }
        return records.all
    }

    /// Starts `runtime-probe` with `arguments` against `cluster` and the test database.
    public static func probe(_ arguments: [String], cluster: DevCluster) throws -> ChildProcess {
        let databaseURL = ProcessInfo.processInfo.environment["DATABASE_ADMIN_URL"] ?? ""
        return try ChildProcess(
            "runtime-probe", arguments: arguments,
            environment: ["KAFKA_BOOTSTRAP_SERVERS": cluster.bootstrapServers, "DATABASE_URL": databaseURL, "PROBE_LOG_LEVEL": "warning"]
        )
    }

    /// The integer a `count(*)` query on the test database returns; -1 when it failed.
    public static func count(_ sql: String) async -> Int {
        (try? await TestDatabase.withAdminClient { client in
            for try await count in try await client.query(PostgresQuery(unsafeSQL: sql)).decode(Int.self) { return count }
            return -1
        }) ?? -1
    }

    /// Polls `condition` until it holds, failing after `limit`.
    public static func eventually(within limit: Duration = .seconds(60), _ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ExpectationTimedOut(description: "\(what) did not happen within \(limit)")
    }
}

/// Records collected by a reading task, read by the test.
public final class RecordCollector: Sendable {
    private let records = Mutex<[KafkaConsumerRecord]>([])
    public func append(_ record: KafkaConsumerRecord) { records.withLock { $0.append(record) } }
    public var count: Int { records.withLock { $0.count } }
    public var all: [KafkaConsumerRecord] { records.withLock { $0 } }
}
