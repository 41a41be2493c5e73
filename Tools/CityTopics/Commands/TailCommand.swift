import ArgumentParser
import CityEvents
import CityKafka

/// `citytopics tail TOPIC`: read records, decoded.
struct TailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Show a topic's records with key, partition, offset, time and headers, the CloudEvent decoded.",
        discussion: """
            Reads without joining a consumer group (nothing is committed). Without --follow it reads up \
            to the end offsets seen at the start and exits; with --follow it waits for new records until \
            --max or Ctrl-C. Start: --from-beginning (the default without --follow), --from-time T, \
            --offset P:O (partition P only), or the end (the default with --follow). A record that is not \
            a valid CityData event is shown raw with the decode error, never skipped.

            Filters (repeatable, all must hold): FIELD=VALUE, FIELD!=VALUE, FIELD~TEXT with FIELD one of \
            key, type, id, source, subject, partition, offset, error, header.NAME, data.PATH.

            Example:
              citytopics tail city.indicators.alerts.v1 --from-time=-1h --filter data.severity=critical
              citytopics tail city.observations.v1 --follow --filter key=hanoi-city --format json | jq .event.data
              citytopics tail city.observations.v1 --offset 3:1200 --max 5
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The topic to read.") var topic: String
    @Flag(name: .long, help: "Start at the first record each partition holds.") var fromBeginning = false
    @Option(name: .long, help: "Start at the first record at or after this time.") var fromTime: TimeArgument?
    @Option(name: .long, help: ArgumentHelp("Read partition P from offset O.", valueName: "P:O")) var offset: String?
    @Flag(name: .long, help: "Keep waiting for new records.") var follow = false
    @Option(name: .long, help: "Show only records that match (repeatable).", transform: RecordFilter.parse) var filter: [RecordFilter] = []
    @Option(name: .long, help: "pretty or json (one object per line).") var format: TailFormat = .pretty
    @Option(name: .long, help: "Stop after showing this many records.") var max: Int?

    func validate() throws {
        let starts = [fromBeginning, fromTime != nil, offset != nil].filter { $0 }.count
        guard starts <= 1 else { throw ValidationError("choose one of --from-beginning, --from-time, --offset") }
        if let offset { _ = try Self.parseOffset(offset) }
        if let max, max < 1 { throw ValidationError("--max must be at least 1") }
    }

    static func parseOffset(_ text: String) throws -> (partition: Int32, offset: Int64) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let partition = Int32(parts[0]), let offset = Int64(parts[1]), partition >= 0, offset >= 0 else {
            throw ValidationError("--offset expects PARTITION:OFFSET, e.g. 3:1200")
        }
        return (partition, offset)
    }

    func run() async throws {
        let printer = RecordPrinter(format: format)
        let filters = filter
        let limit = max
        try await ClusterSession.with(connection) { session in
            let cluster = try session.existingTopic(topic, in: try await session.metadata())
            var scan = TopicScan(topic: cluster, start: [:], follow: follow)
            if let offset {
                let (partition, first) = try Self.parseOffset(offset)
                guard cluster.partitions.contains(where: { $0.id == partition }) else {
                    throw ToolFailure(.notFound, "\(topic) has no partition \(partition) (it has \(cluster.partitions.count))")
                }
                scan.start = [partition: .offset(first)]
            } else if let fromTime {
                scan.start = try await TopicScan.startOffsets(of: cluster, atOrAfter: fromTime.milliseconds, session: session)
                scan.fromMilliseconds = fromTime.milliseconds
            } else if follow && !fromBeginning {
                scan.start = Dictionary(uniqueKeysWithValues: cluster.partitions.map { ($0.id, KafkaStartOffset.end) })
            } else {
                scan.start = TopicScan.fromBeginning(cluster)
            }
            var shown = 0
            let summary = try await scan.run(session: session) { record in
                let inspected = InspectedRecord(record)
                guard filters.allSatisfy({ $0.matches(inspected) }) else { return true }
                try printer.print(inspected)
                shown += 1
                return limit.map { shown < $0 } ?? true
            }
            if format == .pretty {
                Console.error("\(shown) record(s) shown of \(summary.read) read")
            }
        }
    }
}
