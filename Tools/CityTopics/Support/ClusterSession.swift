import CityEvents
import CityKafka
import Logging

/// One command's connection to the cluster: the admin client for metadata and watermarks, with
/// Kafka errors turned into the tool's exit codes.
struct ClusterSession: Sendable {
    let client: KafkaClientConfiguration
    let logger: Logger
    let timeout: Duration
    let admin: KafkaAdmin

    /// Opens the admin client, runs `body`, and shuts the client down also when `body` throws.
    static func with<T: Sendable>(_ connection: ConnectionOptions, _ body: (ClusterSession) async throws -> T) async throws -> T {
        let client = try connection.client()
        let logger = connection.logger
        let admin: KafkaAdmin
        do {
            admin = try KafkaAdmin(configuration: client, logger: logger, timeout: connection.timeoutDuration)
        } catch {
            throw ToolFailure(.usage, "the Kafka client refused its settings: \(error)")
        }
        let session = ClusterSession(client: client, logger: logger, timeout: connection.timeoutDuration, admin: admin)
        let result: Result<T, any Error>
        do { result = .success(try await body(session)) } catch { result = .failure(error) }
        await admin.shutdown()
        return try result.get()
    }

    /// Brokers and topics, as the cluster reports them.
    func metadata() async throws -> ClusterMetadata {
        do { return try await admin.metadata() } catch { throw ToolFailure.kafka(error, doing: "reading cluster metadata") }
    }

    /// The low and high watermark of every partition of a topic, by partition id.
    func watermarks(of topic: ClusterMetadata.Topic) async throws -> [Int32: Watermarks] {
        var result: [Int32: Watermarks] = [:]
        for partition in topic.partitions {
            do {
                let (low, high) = try await admin.watermarks(topic: topic.name, partition: partition.id)
                result[partition.id] = Watermarks(low: low, high: high)
            } catch {
                throw ToolFailure.kafka(error, doing: "reading watermarks of \(topic.name)[\(partition.id)]")
            }
        }
        return result
    }

    /// The topic as the cluster has it, or exit 5 naming what exists.
    func existingTopic(_ name: String, in metadata: ClusterMetadata) throws -> ClusterMetadata.Topic {
        guard let topic = metadata.topic(named: name), topic.error == nil, !topic.partitions.isEmpty else {
            throw ToolFailure(.notFound, "topic \(name) does not exist on the cluster (citytopics list shows what does)")
        }
        return topic
    }

    /// The registry for this cluster: `--replication-factor`, else min(3, brokers) as the dev cluster does.
    static func registry(replicationFactor: Int?, metadata: ClusterMetadata) -> TopicRegistry {
        TopicRegistry(replicationFactor: replicationFactor ?? min(TopicRegistry.productionReplicationFactor, max(1, metadata.brokers.count)))
    }
}

/// A partition's first available and next-to-be-written offsets.
struct Watermarks: Sendable, Hashable, Codable {
    var low: Int64
    var high: Int64
    /// Records the partition holds now.
    var count: Int64 { max(0, high - low) }
}
