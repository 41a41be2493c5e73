import ArgumentParser
import CityEvents
import CityKafka

/// `citytopics list`: every registry topic beside what the cluster has.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the registry's topics beside the cluster's: partitions, replication, messages, differences.",
        discussion: """
            Each topic of the registry (Shared/CityEvents TopicRegistry) is compared with the cluster: \
            partition count, replication factor, partitions without a leader or out of sync. Topics the \
            cluster has beyond the registry are counted (--all names them). Exit 1 when any registry \
            topic differs.

            Example:
              citytopics list
              citytopics list --format json | jq '.topics[] | select(.differences != [])'
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var registryOptions: RegistryOptions
    @Option(name: .long, help: "Output format: text or json.") var format: OutputFormat = .text
    @Flag(name: .long, help: "Also name the cluster's topics that are not in the registry.") var all = false

    func run() async throws {
        let report = try await ClusterSession.with(connection) { session in
            let metadata = try await session.metadata()
            let registry = ClusterSession.registry(replicationFactor: registryOptions.replicationFactor, metadata: metadata)
            var rows: [TopicReport] = []
            for descriptor in registry.allTopics {
                let topic = metadata.topic(named: descriptor.name)
                let present = topic.flatMap { $0.error == nil && !$0.partitions.isEmpty ? $0 : nil }
                var cluster: TopicReport.ClusterSide?
                if let present {
                    let marks = try await session.watermarks(of: present)
                    cluster = .init(
                        partitions: present.partitions.count,
                        replicationFactor: TopicComparison.replicationFactor(of: present),
                        messages: marks.values.reduce(0) { $0 + $1.count }
                    )
                }
                rows.append(TopicReport(
                    name: descriptor.name,
                    registry: .init(partitions: descriptor.partitions, replicationFactor: descriptor.replicationFactor, cleanupPolicy: descriptor.cleanupPolicy.rawValue),
                    cluster: cluster,
                    differences: TopicComparison.differences(descriptor, present)
                ))
            }
            let registered = Set(registry.allTopics.map(\.name))
            let others = metadata.topics.map(\.name).filter { !registered.contains($0) && !TopicComparison.isInternal($0) }.sorted()
            return ListReport(brokers: metadata.brokers.count, topics: rows, otherTopics: others, ok: rows.allSatisfy(\.differences.isEmpty))
        }
        switch format {
        case .json: try Console.json(report)
        case .text: printText(report)
        }
        if !report.ok { throw ToolFailure(.differences, "\(report.topics.filter { !$0.differences.isEmpty }.count) registry topic(s) differ from the cluster") }
    }

    private func printText(_ report: ListReport) {
        let width = max(40, (report.topics.map(\.name.count).max() ?? 0) + 2)
        Console.out(Text.pad("TOPIC", width) + Text.pad("PARTITIONS", 12) + Text.pad("REPLICAS", 10) + Text.pad("MESSAGES", 12) + "STATUS")
        for row in report.topics {
            let partitions = "\(row.cluster.map { String($0.partitions) } ?? "-")/\(row.registry.partitions)"
            let replicas = "\(row.cluster.map { String($0.replicationFactor) } ?? "-")/\(row.registry.replicationFactor)"
            let messages = row.cluster.map { String($0.messages) } ?? "-"
            let status = row.differences.isEmpty ? "ok" : row.differences.joined(separator: "; ")
            Console.out(Text.pad(row.name, width) + Text.pad(partitions, 12) + Text.pad(replicas, 10) + Text.pad(messages, 12) + status)
        }
        let okCount = report.topics.filter(\.differences.isEmpty).count
        Console.out("\(report.topics.count) registry topics on \(report.brokers) broker(s): \(okCount) ok, \(report.topics.count - okCount) differ. \(report.otherTopics.count) other topic(s) on the cluster\(all || report.otherTopics.isEmpty ? "." : " (--all names them).")")
        if all { for name in report.otherTopics { Console.out("  not in the registry: \(name)") } }
    }
}

/// `--replication-factor`, shared by the commands that compare with or write the registry.
struct RegistryOptions: ParsableArguments {
    @Option(name: .long, help: "Replication factor the registry expects (default: min(3, brokers) against a cluster, 3 for export).")
    var replicationFactor: Int?

    func validate() throws {
        if let replicationFactor, replicationFactor < 1 { throw ValidationError("--replication-factor must be at least 1") }
    }
}

/// `list --format json`: the registry beside the cluster.
struct ListReport: Encodable {
    var brokers: Int
    var topics: [TopicReport]
    var otherTopics: [String]
    /// Whether every registry topic matches.
    var ok: Bool
}

/// One topic: what the registry says, what the cluster has (`null` when missing), the differences.
struct TopicReport: Encodable {
    struct RegistrySide: Encodable {
        var partitions: Int
        var replicationFactor: Int
        var cleanupPolicy: String
    }

    struct ClusterSide: Encodable {
        var partitions: Int
        var replicationFactor: Int
        var messages: Int64
    }

    var name: String
    var registry: RegistrySide
    /// `null` when the cluster lacks the topic.
    @Nullable var cluster: ClusterSide? = nil
    var differences: [String]
}

/// Column padding for text tables.
enum Text {
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
