/// How Kafka disposes of a topic's old records.
public enum CleanupPolicy: String, Sendable, Hashable, Codable {
    /// Records older than the retention are deleted.
    case delete
    /// Only the latest record per key is kept; a null value (tombstone) deletes the key.
    case compact
}

/// Everything needed to create and document one Kafka topic.
public struct TopicDescriptor: Sendable, Hashable, Codable {
    /// The topic name, e.g. `city.observations.v1`.
    public var name: String
    /// What the Kafka key holds, e.g. "source id".
    public var keyDescription: String
    /// What one record is.
    public var contentDescription: String
    /// Number of partitions.
    public var partitions: Int
    /// Replication factor (3 in production; the dev cluster uses its own broker count).
    public var replicationFactor: Int
    /// Delete or compact.
    public var cleanupPolicy: CleanupPolicy
    /// Retention in milliseconds for delete topics; `nil` (kept forever) for compacted ones.
    public var retentionMs: Int64?
    /// The CloudEvents types the topic carries.
    public var eventTypes: [String]
    /// Whether this is a `<topic>.dlq` companion.
    public var isDeadLetterTopic: Bool
    /// For a consumed topic, the name of its dead-letter companion.
    public var deadLetterTopic: String?

    /// Creates a descriptor.
    public init(
        name: String,
        keyDescription: String,
        contentDescription: String,
        partitions: Int,
        replicationFactor: Int,
        cleanupPolicy: CleanupPolicy,
        retentionMs: Int64?,
        eventTypes: [String],
        isDeadLetterTopic: Bool = false,
        deadLetterTopic: String? = nil
    ) {
        self.name = name
        self.keyDescription = keyDescription
        self.contentDescription = contentDescription
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.cleanupPolicy = cleanupPolicy
        self.retentionMs = retentionMs
        self.eventTypes = eventTypes
        self.isDeadLetterTopic = isDeadLetterTopic
        self.deadLetterTopic = deadLetterTopic
    }

    /// `min.insync.replicas`: 2 with three or more replicas, so that `acks=all` survives one broker
    /// down; never more than the replication factor minus one (1 on a single-broker dev cluster).
    public var minInsyncReplicas: Int { max(1, min(2, replicationFactor - 1)) }

    /// The topic-level Kafka configuration (`kafka-topics --config`, Strimzi `KafkaTopic.spec.config`).
    public var kafkaConfig: [String: String] {
        var config: [String: String] = [
            "cleanup.policy": cleanupPolicy.rawValue,
            "min.insync.replicas": String(minInsyncReplicas),
            "message.timestamp.type": "CreateTime",
            "max.message.bytes": "1048588",
        ]
        switch cleanupPolicy {
        case .delete:
            config["retention.ms"] = String(retentionMs ?? -1)
        case .compact:
            config["retention.ms"] = "-1"
            // Consumers that fall behind still see a deletion for a day before the tombstone goes.
            config["delete.retention.ms"] = String(TopicRetention.day)
            // Keep each update visible for a minute before compaction may drop it.
            config["min.compaction.lag.ms"] = String(60_000)
            // Roll segments daily so that compaction has closed segments to work on.
            config["segment.ms"] = String(TopicRetention.day)
            config["min.cleanable.dirty.ratio"] = "0.1"
        }
        return config
    }
}

/// Retention periods in milliseconds.
public enum TopicRetention {
    public static let day: Int64 = 86_400_000
    public static let sevenDays: Int64 = 7 * day
    public static let thirtyDays: Int64 = 30 * day
}
