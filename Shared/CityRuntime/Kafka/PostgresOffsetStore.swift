import CityKafka
import Logging
import PostgresNIO

/// The consumed offsets of one consumer group in `<schema>.kafka_offsets`: the consumer's
/// `ExternalOffsetProvider` (read on every assignment) and the writer the sink calls inside the
/// transaction of its effect.
public struct PostgresOffsetStore: ExternalOffsetProvider {
    public let client: PostgresClient
    public let schema: SQLIdentifier
    public let consumerGroup: String
    public let logger: Logger

    public init(client: PostgresClient, schema: SQLIdentifier, consumerGroup: String, logger: Logger) {
        self.client = client
        self.schema = schema
        self.consumerGroup = consumerGroup
        self.logger = logger
    }

    public func offsets(for partitions: [TopicPartition]) async throws -> [TopicPartition: Int64] {
        let result = try await client.withConnection { connection in
            try await read(Set(partitions), locking: false, on: connection)
        }
        logger.info("resuming from stored offsets", metadata: ["offsets": "\(result.map { "\($0.key)=\($0.value)" }.sorted())"])
        return result
    }

    /// Locks the rows of `partitions` for this transaction and returns their next offsets.
    func lock(_ partitions: Set<TopicPartition>, on connection: PostgresConnection) async throws -> [TopicPartition: Int64] {
        try await read(partitions, locking: true, on: connection)
    }

    private func read(_ partitions: Set<TopicPartition>, locking: Bool, on connection: PostgresConnection) async throws -> [TopicPartition: Int64] {
        var result: [TopicPartition: Int64] = [:]
        for topic in Set(partitions.map(\.topic)) {
            let numbers = partitions.filter { $0.topic == topic }.map(\.partition)
            let rows = try await connection.query(
                "SELECT partition, next_offset FROM \(unescaped: schema.quoted).kafka_offsets WHERE consumer_group = \(consumerGroup) AND topic = \(topic) AND partition = ANY(\(numbers))\(unescaped: locking ? " FOR UPDATE" : "")",
                logger: logger
            )
            for try await (partition, next) in rows.decode((Int32, Int64).self) {
                result[TopicPartition(topic: topic, partition: partition)] = next
            }
        }
        return result
    }

    /// Records `next` as the next offset of each partition, in the caller's transaction.
    func save(_ next: [TopicPartition: Int64], on connection: PostgresConnection) async throws {
        for (partition, offset) in next {
            try await connection.query(
                """
                INSERT INTO \(unescaped: schema.quoted).kafka_offsets (consumer_group, topic, partition, next_offset)
                VALUES (\(consumerGroup), \(partition.topic), \(partition.partition), \(offset))
                ON CONFLICT (consumer_group, topic, partition)
                DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now()
                """,
                logger: logger
            )
        }
    }
}
