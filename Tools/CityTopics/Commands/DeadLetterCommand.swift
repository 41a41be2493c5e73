import ArgumentParser
import CityEvents
import CityKafka

/// `citytopics dlq list|show|redrive`: the dead-letter topics.
struct DeadLetterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq",
        abstract: "Inspect dead-letter topics (<topic>.dlq) and redrive their records to the original topics.",
        discussion: """
            A dead letter (vn.citydata.deadletter.recorded.v1) keeps the record a consumer gave up on, \
            with its original topic, partition, offset, key, headers, value and the error. Redrive sends \
            each one back once and records that it did on a redrive log topic.

            Example:
              citytopics dlq list
              citytopics dlq show city.observations.v1.dlq --max 20
              citytopics dlq redrive city.observations.v1.dlq --dry-run
            """,
        subcommands: [DeadLetterList.self, DeadLetterShow.self, DeadLetterRedrive.self]
    )

    /// `city.observations.v1` and `city.observations.v1.dlq` both name the dead-letter topic.
    static func deadLetterTopic(_ name: String) -> String {
        name.hasSuffix(TopicName.deadLetterSuffix) ? name : TopicName.deadLetter(of: name)
    }

    /// Reads every dead letter of `topic` (up to the end offsets at the start), marked with the log.
    static func entries(of topic: String, log: RedriveLog, session: ClusterSession, limit: Int? = nil) async throws -> [DeadLetterEntry] {
        let metadata = try await session.metadata()
        let cluster = try session.existingTopic(topic, in: metadata)
        let done = try await log.redriven(of: topic, session: session, metadata: metadata)
        var entries: [DeadLetterEntry] = []
        _ = try await TopicScan(topic: cluster, start: TopicScan.fromBeginning(cluster)).run(session: session) { record in
            let key = RedriveLog.key(deadLetterTopic: topic, partition: record.partition, offset: record.offset)
            entries.append(DeadLetterEntry(record, redriven: done.contains(key)))
            return limit.map { entries.count < $0 } ?? true
        }
        return entries.sorted { ($0.partition, $0.offset) < ($1.partition, $1.offset) }
    }
}

/// `citytopics dlq list`.
struct DeadLetterList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the dead-letter topics with how many records each holds.",
        discussion: """
            Every topic whose name ends in .dlq on the cluster, plus the registry's dead-letter topics \
            (a missing one is shown as missing). Exit 0 also when dead letters exist: use --format json \
            and .totalMessages in scripts.

            Example:
              citytopics dlq list
              citytopics dlq list --format json | jq '.topics[] | select(.messages > 0)'
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @Option(name: .long, help: "Output format: text or json.") var format: OutputFormat = .text

    func run() async throws {
        let report = try await ClusterSession.with(connection) { session in
            let metadata = try await session.metadata()
            var names = Set(metadata.topics.map(\.name).filter { $0.hasSuffix(TopicName.deadLetterSuffix) })
            names.formUnion(TopicRegistry().deadLetterTopics.map(\.name))
            var rows: [DeadLetterListReport.Row] = []
            for name in names.sorted() {
                let original = String(name.dropLast(TopicName.deadLetterSuffix.count))
                guard let topic = metadata.topic(named: name), topic.error == nil, !topic.partitions.isEmpty else {
                    rows.append(.init(topic: name, originalTopic: original, messages: nil))
                    continue
                }
                let marks = try await session.watermarks(of: topic)
                rows.append(.init(topic: name, originalTopic: original, messages: marks.values.reduce(0) { $0 + $1.count }))
            }
            return DeadLetterListReport(topics: rows)
        }
        switch format {
        case .json: try Console.json(report)
        case .text:
            let width = max(42, (report.topics.map(\.topic.count).max() ?? 0) + 2)
            Console.out(Text.pad("DEAD-LETTER TOPIC", width) + "MESSAGES")
            for row in report.topics { Console.out(Text.pad(row.topic, width) + (row.messages.map(String.init) ?? "missing")) }
            Console.out("total: \(report.totalMessages) dead letter(s)")
        }
    }
}

/// `dlq list --format json`.
struct DeadLetterListReport: Encodable {
    struct Row: Encodable {
        var topic: String
        var originalTopic: String
        /// `null` when the topic is missing from the cluster.
        @Nullable var messages: Int64? = nil
    }

    var topics: [Row]
    var totalMessages: Int64

    init(topics: [Row]) {
        self.topics = topics
        totalMessages = topics.reduce(0) { $0 + ($1.messages ?? 0) }
    }
}

/// `citytopics dlq show TOPIC`.
struct DeadLetterShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a dead-letter topic's records: where each came from, the error, and whether it was redriven.",
        discussion: """
            TOPIC is the dead-letter topic or the topic it belongs to (.dlq is added). A record that is \
            not a dead-letter event is shown with the reason.

            Example:
              citytopics dlq show city.observations.v1 --max 10
              citytopics dlq show city.indicators.alerts.v1.dlq --format json | jq '.[] | select(.redriven == false)'
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The dead-letter topic (or its original topic).") var topic: String
    @Option(name: .long, help: "Show at most this many.") var max: Int?
    @Option(name: .long, help: "The redrive log topic.") var logTopic = RedriveLog.defaultTopic
    @Option(name: .long, help: "Output format: text or json.") var format: OutputFormat = .text

    func run() async throws {
        let name = DeadLetterCommand.deadLetterTopic(topic)
        let entries = try await ClusterSession.with(connection) { session in
            try await DeadLetterCommand.entries(of: name, log: RedriveLog(topic: logTopic), session: session, limit: max)
        }
        switch format {
        case .json: try Console.json(entries)
        case .text:
            for entry in entries {
                var line = "\(name) partition \(entry.partition) offset \(entry.offset)"
                if let problem = entry.problem {
                    line += "\n  ! \(problem)"
                } else {
                    line += "  from \(entry.originalTopic ?? "?") partition \(entry.originalPartition.map(String.init) ?? "?") offset \(entry.originalOffset.map(String.init) ?? "?")  key=\(entry.key?.display ?? "(none)")"
                    line += "\n  failed \(entry.failedAt ?? "?") in group \(entry.consumerGroup ?? "?") after \(entry.attempts.map(String.init) ?? "?") attempt(s): \(entry.error ?? "")"
                    line += entry.redriven ? "\n  redriven" : "\n  not redriven"
                }
                Console.out(line)
            }
            Console.out("\(entries.count) dead letter(s), \(entries.filter(\.redriven).count) redriven")
        }
    }
}

/// `citytopics dlq redrive TOPIC`.
struct DeadLetterRedrive: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redrive",
        abstract: "Send each dead letter back to its original topic once, recording that it did.",
        discussion: """
            For every dead letter not yet on the redrive log (--log-topic, default \
            citytopics.redrive.v1): the original record (key, headers, value) goes back to its original \
            topic with a header citytopics-redriven-from: DLQ/PARTITION/OFFSET; once Kafka acknowledged it, \
            a marker keyed DLQ/PARTITION/OFFSET goes to the log. Running redrive again sends nothing twice. \
            Should the tool die between the two sends, the next run sends that record again (at least \
            once, at most one batch of 100). The log topic is created (1 partition, compacted) when \
            missing — which the mock cluster cannot do: there pass -X allow.auto.create.topics=true. \
            Records that are not dead letters are reported and skipped (exit 1).

            Example:
              citytopics dlq redrive city.observations.v1.dlq --dry-run
              citytopics dlq redrive city.observations.v1.dlq
            """
    )

    /// The header that marks a redriven record with the dead letter it came from.
    static let originHeader = "citytopics-redriven-from"

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The dead-letter topic (or its original topic).") var topic: String
    @Option(name: .long, help: "The redrive log topic.") var logTopic = RedriveLog.defaultTopic
    @Flag(name: .long, help: "Show what would be sent; send nothing.") var dryRun = false
    @Option(name: .long, help: "Output format: text or json.") var format: OutputFormat = .text

    func run() async throws {
        let name = DeadLetterCommand.deadLetterTopic(topic)
        let log = RedriveLog(topic: logTopic)
        let report = try await ClusterSession.with(connection) { session in
            let entries = try await DeadLetterCommand.entries(of: name, log: log, session: session)
            let todo = entries.filter { !$0.redriven && $0.problem == nil }
            var report = RedriveReport(
                deadLetterTopic: name, logTopic: logTopic, dryRun: dryRun, redriven: 0,
                alreadyRedriven: entries.filter(\.redriven).count, skipped: entries.filter { $0.problem != nil }.map { "partition \($0.partition) offset \($0.offset): \($0.problem ?? "")" }
            )
            guard !todo.isEmpty, !dryRun else {
                report.redriven = dryRun ? todo.count : 0
                return report
            }
            let metadata = try await session.metadata()
            if !connection.allowsAutoCreation {
                for original in Set(todo.compactMap(\.originalTopic)) { _ = try session.existingTopic(original, in: metadata) }
            }
            try await log.ensureExists(session: session, metadata: metadata, autoCreation: connection.allowsAutoCreation)
            try await ProducerSession.with(session) { producer in
                for start in stride(from: 0, to: todo.count, by: 100) {
                    let batch = Array(todo[start..<min(start + 100, todo.count)])
                    let originals = batch.compactMap { entry in
                        entry.original?.producerRecord(extraHeaders: [KafkaHeader(name: Self.originHeader, text: RedriveLog.key(deadLetterTopic: name, partition: entry.partition, offset: entry.offset))])
                    }
                    let delivered = try await producer.send(originals, what: "redrive")
                    let now = Timestamp.now().rfc3339
                    let markers = try zip(batch, delivered).map { entry, report in
                        try log.marker(.init(
                            deadLetterTopic: name, partition: entry.partition, offset: entry.offset, originalTopic: report.topic,
                            redrivenToPartition: report.partition, redrivenToOffset: report.offset, redrivenAt: now
                        ))
                    }
                    _ = try await producer.send(markers, what: "recording the redrive")
                    report.redriven += batch.count
                    Console.progress("redriven \(report.redriven) of \(todo.count)")
                }
            }
            return report
        }
        switch format {
        case .json: try Console.json(report)
        case .text:
            Console.out("\(dryRun ? "would redrive" : "redriven") \(report.redriven) dead letter(s) from \(name); \(report.alreadyRedriven) redriven before; \(report.skipped.count) not redrivable")
            for line in report.skipped { Console.out("  skipped \(line)") }
        }
        if !report.skipped.isEmpty { throw ToolFailure(.differences, "\(report.skipped.count) record(s) of \(name) are not redrivable dead letters") }
    }
}

/// `dlq redrive --format json`.
struct RedriveReport: Encodable {
    var deadLetterTopic: String
    var logTopic: String
    var dryRun: Bool
    var redriven: Int
    var alreadyRedriven: Int
    var skipped: [String]
}
