import ArgumentParser
import CityEvents
import CityKafka

/// `citytopics replay TOPIC --from-time T [--to-time T] --to TOPIC`: copies a time range.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Copy a topic's records of a time range to another topic, keys, values and headers unchanged.",
        discussion: """
            Reads TOPIC (without joining a group) up to the end offsets seen at the start, keeps the \
            records whose timestamp is in [--from-time, --to-time), and sends them to --to with the \
            same key, value and headers plus a header citytopics-replayed-from: TOPIC/PARTITION/OFFSET. \
            Order is kept per key. Progress goes to standard error. The target topic must exist (or be \
            auto-created with -X allow.auto.create.topics=true where the cluster allows it).

            Example:
              citytopics replay city.observations.v1 --from-time 2025-03-01T00:00:00+07:00 \\
                  --to-time 2025-03-02T00:00:00+07:00 --to city.observations.replay.v1
              citytopics replay city.indicators.alerts.v1 --from-time=-2h --to alerts-rerun --dry-run
            """
    )

    /// The header that marks a replayed copy with where it came from.
    static let originHeader = "citytopics-replayed-from"

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The topic to read.") var topic: String
    @Option(name: .long, help: "First time to include.") var fromTime: TimeArgument
    @Option(name: .long, help: "Time to stop before (default: no end).") var toTime: TimeArgument?
    @Option(name: .long, help: "The topic to write to.") var to: String
    @Flag(name: .long, help: "Count what would be replayed; send nothing.") var dryRun = false
    @Option(name: .long, help: "Output format: text or json.") var format: OutputFormat = .text

    func validate() throws {
        if let toTime, toTime.milliseconds <= fromTime.milliseconds { throw ValidationError("--to-time must be after --from-time") }
        guard !to.isEmpty else { throw ValidationError("--to must name a topic") }
    }

    func run() async throws {
        let report = try await ClusterSession.with(connection) { session in
            let metadata = try await session.metadata()
            let source = try session.existingTopic(topic, in: metadata)
            if !connection.allowsAutoCreation && !dryRun { _ = try session.existingTopic(to, in: metadata) }
            var scan = TopicScan(topic: source, start: try await TopicScan.startOffsets(of: source, atOrAfter: fromTime.milliseconds, session: session))
            scan.fromMilliseconds = fromTime.milliseconds
            scan.toMilliseconds = toTime?.milliseconds
            return try await ProducerSession.with(session) { producer in
                var pending: [KafkaProducerRecord] = []
                var replayed = 0
                func flush() async throws {
                    guard !pending.isEmpty else { return }
                    if !dryRun { _ = try await producer.send(pending, what: "replay") }
                    replayed += pending.count
                    pending.removeAll(keepingCapacity: true)
                    Console.progress("\(dryRun ? "would replay" : "replayed") \(replayed) record(s)")
                }
                let summary = try await scan.run(session: session) { record in
                    let origin = KafkaHeader(name: Self.originHeader, text: "\(record.topic)/\(record.partition)/\(record.offset)")
                    pending.append(record.eventRecord.producerRecord(to: to, extraHeaders: [origin]))
                    if pending.count >= 500 { try await flush() }
                    return true
                }
                try await flush()
                return ReplayReport(
                    source: topic, destination: to, fromTime: TimeArgument.rfc3339(fromTime.milliseconds),
                    toTime: toTime.map { TimeArgument.rfc3339($0.milliseconds) }, dryRun: dryRun,
                    replayed: replayed, skippedOutsideRange: summary.skippedByTime
                )
            }
        }
        switch format {
        case .json: try Console.json(report)
        case .text:
            Console.out("\(dryRun ? "would replay" : "replayed") \(report.replayed) record(s) of \(topic) from \(report.fromTime) to \(report.toTime ?? "the end") to \(to) (\(report.skippedOutsideRange) outside the range skipped)")
        }
    }
}

/// `replay --format json`.
struct ReplayReport: Encodable {
    var source: String
    var destination: String
    var fromTime: String
    var toTime: String?
    var dryRun: Bool
    var replayed: Int
    var skippedOutsideRange: Int
}
