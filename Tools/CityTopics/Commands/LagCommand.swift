import ArgumentParser
import CityKafka

/// `citytopics lag GROUP`: a consumer group's committed offsets against the high watermarks.
struct LagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lag",
        abstract: "Show a consumer group's lag: committed offset against high watermark per partition, with totals.",
        discussion: """
            Reads the group's committed offsets (it does not join the group or move its offsets) for \
            the topics given with --topic, else for every topic on the cluster, and lists the \
            partitions where the group has committed. A partition whose committed offset is below the \
            low watermark lost records to retention ("expired"). Exit 5 when the group has committed \
            nothing on those topics (a typo, or a group that never committed).

            Example:
              citytopics lag indicators.observations
              citytopics lag notifications.alerts --topic city.indicators.alerts.v1 --format json | jq .totalLag
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The consumer group id.") var group: String
    @Option(name: .long, help: "Only this topic (repeatable).") var topic: [String] = []
    @Option(name: .long, help: "Output format: text or json.") var format: OutputFormat = .text

    func run() async throws {
        let report = try await ClusterSession.with(connection) { session in
            let metadata = try await session.metadata()
            let topics = try topic.isEmpty
                ? metadata.topics.filter { $0.error == nil && !TopicComparison.isInternal($0.name) }
                : topic.map { try session.existingTopic($0, in: metadata) }
            let partitions = topics.flatMap { topic in topic.partitions.map { TopicPartition(topic: topic.name, partition: $0.id) } }
            let committed = try await Self.committedOffsets(group: group, partitions: partitions, session: session)
            var rows: [LagReport.Row] = []
            for (partition, offset) in committed.sorted(by: { ($0.key.topic, $0.key.partition) < ($1.key.topic, $1.key.partition) }) {
                let marks: (low: Int64, high: Int64)
                do { marks = try await session.admin.watermarks(topic: partition.topic, partition: partition.partition) } catch {
                    throw ToolFailure.kafka(error, doing: "reading watermarks of \(partition)")
                }
                rows.append(.init(topic: partition.topic, partition: partition.partition, committed: offset, low: marks.low, high: marks.high))
            }
            return LagReport(group: group, partitions: rows)
        }
        guard !report.partitions.isEmpty else {
            throw ToolFailure(.notFound, "group \(group) has no committed offsets on \(topic.isEmpty ? "any topic" : topic.joined(separator: ", "))")
        }
        switch format {
        case .json: try Console.json(report)
        case .text: printText(report)
        }
    }

    /// The partitions where the group has a committed offset.
    static func committedOffsets(group: String, partitions: [TopicPartition], session: ClusterSession) async throws -> [TopicPartition: Int64] {
        let client: KafkaOffsetClient
        do {
            client = try KafkaOffsetClient(configuration: session.client, groupID: group, logger: session.logger, timeout: session.timeout)
        } catch {
            throw ToolFailure.kafka(error, doing: "opening the offset client")
        }
        let answer: Result<[TopicPartition: Int64?], KafkaError>
        do { answer = .success(try await client.committedOffsets(for: partitions)) } catch { answer = .failure(error) }
        await client.shutdown()
        switch answer {
        case .success(let offsets): return offsets.compactMapValues { $0 }
        case .failure(let error): throw ToolFailure.kafka(error, doing: "reading the committed offsets of \(group)")
        }
    }

    private func printText(_ report: LagReport) {
        let width = max(34, (report.partitions.map(\.topic.count).max() ?? 0) + 2)
        Console.out("group \(report.group)")
        Console.out(Text.pad("TOPIC", width) + Text.pad("PARTITION", 11) + Text.pad("COMMITTED", 12) + Text.pad("HIGH", 12) + "LAG")
        for row in report.partitions {
            Console.out(Text.pad(row.topic, width) + Text.pad(String(row.partition), 11) + Text.pad(String(row.committed), 12) + Text.pad(String(row.high), 12) + String(row.lag) + (row.expired ? "  (expired: below low watermark \(row.low))" : ""))
        }
        for total in report.topics { Console.out("total \(total.topic): \(total.lag)") }
        Console.out("total lag: \(report.totalLag)")
    }
}

/// `lag --format json`.
struct LagReport: Encodable {
    struct Row: Encodable {
        var topic: String
        var partition: Int32
        var committed: Int64
        var low: Int64
        var high: Int64
        /// Records the group has still to read: high watermark minus committed offset.
        var lag: Int64
        /// The committed offset is below the low watermark: records were lost to retention.
        var expired: Bool

        init(topic: String, partition: Int32, committed: Int64, low: Int64, high: Int64) {
            self.topic = topic
            self.partition = partition
            self.committed = committed
            self.low = low
            self.high = high
            lag = max(0, high - committed)
            expired = committed < low
        }
    }

    struct TopicTotal: Encodable {
        var topic: String
        var lag: Int64
    }

    var group: String
    var partitions: [Row]
    var topics: [TopicTotal]
    var totalLag: Int64

    init(group: String, partitions: [Row]) {
        self.group = group
        self.partitions = partitions
        topics = Dictionary(grouping: partitions, by: \.topic)
            .map { TopicTotal(topic: $0.key, lag: $0.value.reduce(0) { $0 + $1.lag }) }
            .sorted { $0.topic < $1.topic }
        totalLag = partitions.reduce(0) { $0 + $1.lag }
    }
}
