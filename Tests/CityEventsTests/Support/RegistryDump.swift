import CityEvents
import Foundation

/// The topic registry as JSON for the Python scripts: every descriptor field plus its Kafka config.
struct RegistryDump: Encodable {
    let name: String
    let keyDescription: String
    let contentDescription: String
    let partitions: Int
    let replicationFactor: Int
    let cleanupPolicy: CleanupPolicy
    let retentionMs: Int64?
    let eventTypes: [String]
    let isDeadLetterTopic: Bool
    let deadLetterTopic: String?
    let kafkaConfig: [String: String]

    init(_ topic: TopicDescriptor) {
        name = topic.name
        keyDescription = topic.keyDescription
        contentDescription = topic.contentDescription
        partitions = topic.partitions
        replicationFactor = topic.replicationFactor
        cleanupPolicy = topic.cleanupPolicy
        retentionMs = topic.retentionMs
        eventTypes = topic.eventTypes
        isDeadLetterTopic = topic.isDeadLetterTopic
        deadLetterTopic = topic.deadLetterTopic
        kafkaConfig = topic.kafkaConfig
    }

    /// Writes the production registry to `directory/registry.json` and returns the file.
    static func write(into directory: URL) throws -> URL {
        let file = directory.appendingPathComponent("registry.json")
        try Data(PayloadJSON.encode(TopicRegistry().allTopics.map(RegistryDump.init))).write(to: file)
        return file
    }
}
