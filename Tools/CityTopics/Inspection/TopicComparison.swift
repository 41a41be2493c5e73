import CityEvents
import CityKafka

/// How a registry topic and the cluster's copy of it differ; pure, so that it is tested without a cluster.
enum TopicComparison {
    /// One line per difference; empty when the cluster has the topic as the registry describes it.
    static func differences(_ descriptor: TopicDescriptor, _ topic: ClusterMetadata.Topic?) -> [String] {
        guard let topic, topic.error == nil, !topic.partitions.isEmpty else { return ["missing from the cluster"] }
        var problems: [String] = []
        if topic.partitions.count != descriptor.partitions {
            problems.append("has \(topic.partitions.count) partitions, the registry says \(descriptor.partitions)")
        }
        let replication = replicationFactor(of: topic)
        if replication != descriptor.replicationFactor {
            problems.append("replication factor \(replication), the registry says \(descriptor.replicationFactor)")
        }
        problems += health(of: topic)
        return problems
    }

    /// Problems any topic can have: partitions without a leader or with replicas out of sync.
    static func health(of topic: ClusterMetadata.Topic) -> [String] {
        var problems: [String] = []
        for partition in topic.partitions.sorted(by: { $0.id < $1.id }) {
            if partition.leader < 0 { problems.append("partition \(partition.id) has no leader") }
            if partition.inSyncReplicas.count < partition.replicas.count {
                problems.append("partition \(partition.id) under-replicated: in sync \(partition.inSyncReplicas) of \(partition.replicas)")
            }
        }
        return problems
    }

    /// The largest replica count of the topic's partitions.
    static func replicationFactor(of topic: ClusterMetadata.Topic) -> Int {
        topic.partitions.map(\.replicas.count).max() ?? 0
    }

    /// Topics the registry has and the cluster lacks: what `apply` creates.
    static func missing(from metadata: ClusterMetadata, registry: TopicRegistry) -> [TopicDescriptor] {
        registry.allTopics.filter { descriptor in
            guard let topic = metadata.topic(named: descriptor.name) else { return true }
            return topic.error != nil || topic.partitions.isEmpty
        }
    }

    /// Whether a cluster topic is Kafka's own (`__consumer_offsets`, `__transaction_state`).
    static func isInternal(_ name: String) -> Bool { name.hasPrefix("__") }
}
