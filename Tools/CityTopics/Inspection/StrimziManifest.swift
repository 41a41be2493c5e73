import CityEvents

/// The registry as Strimzi `KafkaTopic` resources, in the exact form of
/// deploy/k8s/base/kafka/kafka-topics.yaml (which a test keeps byte-identical).
enum StrimziManifest {
    /// The YAML text: a comment header, then one document per topic in registry order.
    static func yaml(registry: TopicRegistry, cluster: String) -> String {
        var lines = [
            "# The platform's Kafka topics as Strimzi KafkaTopic resources, taken from the topic registry",
            "# (Shared/CityEvents/Topics/TopicRegistry.swift) with replication factor \(registry.replicationFactor).",
            "# `citytopics export --strimzi` prints the same resources.",
        ]
        for topic in registry.allTopics {
            lines += [
                "---",
                "apiVersion: kafka.strimzi.io/v1beta2",
                "kind: KafkaTopic",
                "metadata:",
                "  name: \(resourceName(of: topic.name))",
                "  labels:",
                "    strimzi.io/cluster: \(cluster)",
                "spec:",
                "  topicName: \(topic.name)",
                "  partitions: \(topic.partitions)",
                "  replicas: \(topic.replicationFactor)",
                "  config:",
            ]
            for (key, value) in topic.kafkaConfig.sorted(by: { $0.key < $1.key }) {
                lines.append("    \(key): \"\(value)\"")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A Kubernetes resource name for a topic: dots become dashes (`city.observations.v1` → `city-observations-v1`).
    static func resourceName(of topic: String) -> String {
        topic.replacingOccurrences(of: ".", with: "-").replacingOccurrences(of: "_", with: "-").lowercased()
    }
}
