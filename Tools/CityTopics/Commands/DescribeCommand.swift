import ArgumentParser
import CityEvents
import CityKafka

/// `citytopics describe TOPIC`: one topic in full, registry and cluster side by side.
struct DescribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Show one topic: the registry's description and config beside every partition's leader, replicas, in-sync replicas and watermarks.",
        discussion: """
            A topic outside the registry is described from the cluster alone. Exit 1 when the cluster \
            differs from the registry, 5 when neither knows the topic. Topic-level config is shown from \
            the registry only (the tool does not read broker configs).

            Example:
              citytopics describe city.observations.v1
              citytopics describe city.observations.v1.dlq --format json
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var registryOptions: RegistryOptions
    @Argument(help: "The topic name.") var topic: String
    @Option(name: .long, help: "Output format: text or json.") var format: OutputFormat = .text

    func run() async throws {
        let report = try await ClusterSession.with(connection) { session in
            let metadata = try await session.metadata()
            let registry = ClusterSession.registry(replicationFactor: registryOptions.replicationFactor, metadata: metadata)
            let descriptor = registry.topic(named: topic)
            let present = metadata.topic(named: topic).flatMap { $0.error == nil && !$0.partitions.isEmpty ? $0 : nil }
            guard descriptor != nil || present != nil else {
                throw ToolFailure(.notFound, "topic \(topic) is neither in the registry nor on the cluster")
            }
            var partitions: [DescribeReport.PartitionRow]?
            if let present {
                let marks = try await session.watermarks(of: present)
                partitions = present.partitions.sorted { $0.id < $1.id }.map { partition in
                    let mark = marks[partition.id] ?? Watermarks(low: 0, high: 0)
                    return .init(
                        id: partition.id, leader: partition.leader, replicas: partition.replicas,
                        inSyncReplicas: partition.inSyncReplicas, low: mark.low, high: mark.high, messages: mark.count
                    )
                }
            }
            let differences = descriptor.map { TopicComparison.differences($0, present) } ?? present.map(TopicComparison.health) ?? []
            return DescribeReport(name: topic, registry: descriptor.map(DescribeReport.RegistrySide.init), partitions: partitions, differences: differences)
        }
        switch format {
        case .json: try Console.json(report)
        case .text: printText(report)
        }
        if !report.differences.isEmpty { throw ToolFailure(.differences, "\(topic) differs from the registry") }
    }

    private func printText(_ report: DescribeReport) {
        Console.out("topic \(report.name)")
        if let registry = report.registry {
            Console.out("  registry: \(registry.partitions) partitions, replication \(registry.replicationFactor), key: \(registry.keyDescription)")
            Console.out("  content: \(registry.contentDescription)")
            Console.out("  event types: \(registry.eventTypes.joined(separator: ", "))")
            if let dlq = registry.deadLetterTopic { Console.out("  dead letters: \(dlq)") }
            Console.out("  config:")
            for (key, value) in registry.config.sorted(by: { $0.key < $1.key }) { Console.out("    \(key)=\(value)") }
        } else {
            Console.out("  registry: not in the registry")
        }
        if let partitions = report.partitions {
            Console.out("  " + Text.pad("PARTITION", 11) + Text.pad("LEADER", 8) + Text.pad("REPLICAS", 12) + Text.pad("IN-SYNC", 12) + Text.pad("LOW", 12) + Text.pad("HIGH", 12) + "MESSAGES")
            for row in partitions {
                let replicas = row.replicas.map(String.init).joined(separator: ",")
                let isr = row.inSyncReplicas.map(String.init).joined(separator: ",")
                Console.out("  " + Text.pad(String(row.id), 11) + Text.pad(String(row.leader), 8) + Text.pad(replicas, 12) + Text.pad(isr, 12) + Text.pad(String(row.low), 12) + Text.pad(String(row.high), 12) + String(row.messages))
            }
            Console.out("  total messages: \(partitions.reduce(0) { $0 + $1.messages })")
        } else {
            Console.out("  cluster: missing")
        }
        for difference in report.differences { Console.out("  difference: \(difference)") }
    }
}

/// `describe --format json`.
struct DescribeReport: Encodable {
    struct RegistrySide: Encodable {
        var partitions: Int
        var replicationFactor: Int
        var keyDescription: String
        var contentDescription: String
        var eventTypes: [String]
        var deadLetterTopic: String?
        var config: [String: String]

        init(_ descriptor: TopicDescriptor) {
            partitions = descriptor.partitions
            replicationFactor = descriptor.replicationFactor
            keyDescription = descriptor.keyDescription
            contentDescription = descriptor.contentDescription
            eventTypes = descriptor.eventTypes
            deadLetterTopic = descriptor.deadLetterTopic
            config = descriptor.kafkaConfig
        }
    }

    struct PartitionRow: Encodable {
        var id: Int32
        var leader: Int32
        var replicas: [Int32]
        var inSyncReplicas: [Int32]
        var low: Int64
        var high: Int64
        var messages: Int64
    }

    var name: String
    /// `null` for a topic outside the registry.
    @Nullable var registry: RegistrySide? = nil
    /// `null` when the cluster lacks the topic.
    @Nullable var partitions: [PartitionRow]? = nil
    var differences: [String]
}
