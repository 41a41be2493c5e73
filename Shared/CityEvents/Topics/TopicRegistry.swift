/// Every Kafka topic of the platform, as PLATFORM.md's topic table fixes them.
///
/// The dev cluster creates topics from it, the topic tool lists them, and the Strimzi manifests and
/// `docs/asyncapi.yaml` are generated from or tested against it. Every primary topic is consumed by
/// some service or auditor, so each has a `<topic>.dlq` companion (delete, 30 days, same key).
public struct TopicRegistry: Sendable, Hashable {
    /// Production replication factor.
    public static let productionReplicationFactor = 3
    /// Partitions of `city.observations.v1` (the high-volume topic).
    public static let observationPartitions = 12
    /// Partitions of every other topic.
    public static let defaultPartitions = 6

    /// The replication factor used for every topic.
    public var replicationFactor: Int

    /// A registry for a cluster with the given replication factor (3 in production; the dev cluster
    /// passes its broker count).
    public init(replicationFactor: Int = TopicRegistry.productionReplicationFactor) {
        self.replicationFactor = max(1, replicationFactor)
    }

    /// The eight primary topics, in the order of PLATFORM.md's table.
    public var primaryTopics: [TopicDescriptor] {
        func topic(
            _ name: String, key: String, content: String, partitions: Int = TopicRegistry.defaultPartitions,
            _ policy: CleanupPolicy, _ retention: Int64?, _ types: [String]
        ) -> TopicDescriptor {
            TopicDescriptor(
                name: name, keyDescription: key, contentDescription: content, partitions: partitions,
                replicationFactor: replicationFactor, cleanupPolicy: policy, retentionMs: retention,
                eventTypes: types, deadLetterTopic: TopicName.deadLetter(of: name)
            )
        }
        return [
            topic(TopicName.observations, key: "source id", content: "one accepted observation record",
                  partitions: TopicRegistry.observationPartitions, .delete, TopicRetention.sevenDays,
                  [EventType.observationRecorded]),
            topic(TopicName.ingestRejected, key: "source id (batch id when the record has none)",
                  content: "a record ingest refused, with the reason", .delete, TopicRetention.thirtyDays,
                  [EventType.ingestRejected]),
            topic(TopicName.agencies, key: "agency id", content: "agency snapshot incl. API key hashes",
                  .compact, nil, [EventType.agencyUpdated]),
            topic(TopicName.datasets, key: "dataset id",
                  content: "dataset snapshot: owner, schema, access level, update frequency",
                  .compact, nil, [EventType.datasetUpdated]),
            topic(TopicName.grants, key: "grant id", content: "data-sharing grant: dataset → subscribing agency",
                  .compact, nil, [EventType.grantUpdated]),
            topic(TopicName.indicatorValues, key: "indicator id + \"/\" + (area, or source when no area)",
                  content: "a computed indicator value", .delete, TopicRetention.thirtyDays,
                  [EventType.indicatorComputed]),
            topic(TopicName.indicatorAlerts, key: "indicator id + \"/\" + (area, or source when no area)",
                  content: "a threshold crossed or recovered", .delete, TopicRetention.thirtyDays,
                  [EventType.indicatorAlert]),
            topic(TopicName.deliveries, key: "subscription id", content: "a delivery outcome (audit)",
                  .delete, TopicRetention.thirtyDays, [EventType.deliveryOutcome]),
        ]
    }

    /// The `<topic>.dlq` companions of the primary topics.
    public var deadLetterTopics: [TopicDescriptor] {
        primaryTopics.compactMap { primary in
            guard let name = primary.deadLetterTopic else { return nil }
            return TopicDescriptor(
                name: name, keyDescription: "as " + primary.name,
                contentDescription: "a message a consumer of \(primary.name) could not process, with the error",
                partitions: TopicRegistry.defaultPartitions, replicationFactor: replicationFactor,
                cleanupPolicy: .delete, retentionMs: TopicRetention.thirtyDays,
                eventTypes: [EventType.deadLetter], isDeadLetterTopic: true
            )
        }
    }

    /// Every topic: the primary ones followed by their dead-letter companions.
    public var allTopics: [TopicDescriptor] { primaryTopics + deadLetterTopics }

    /// The descriptor of a topic by name.
    public func topic(named name: String) -> TopicDescriptor? {
        allTopics.first { $0.name == name }
    }

    /// The primary topic that carries an event type (`nil` for dead letters, which go to the `.dlq`
    /// companion of the topic they came from, and for unknown types).
    public func topic(carrying eventType: String) -> TopicDescriptor? {
        primaryTopics.first { $0.eventTypes.contains(eventType) }
    }
}
