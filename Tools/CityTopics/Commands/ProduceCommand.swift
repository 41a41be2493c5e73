import ArgumentParser
import CityEvents
import CityKafka

/// `citytopics produce TOPIC --file F`: sends CloudEvents after validating all of them.
struct ProduceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce",
        abstract: "Send the events of an NDJSON file of structured CloudEvents, after validating every one.",
        discussion: """
            Each line is one CloudEvent in structured JSON (specversion, id, source, type, time, \
            subject, datacontenttype, data). Every event is checked first — envelope, known type, data \
            against its schema, and the topic's registered types — and if any fails nothing is sent \
            (exit 1, one line per problem on standard error). Valid events go out in binary content mode \
            under the key their payload defines (e.g. the source id of an observation).

            A topic outside the registry needs --allow-unregistered (its events are still validated).

            Example:
              citytopics produce city.observations.v1 --file observations.ndjson
              jq -c '.[]' events.json | citytopics produce city.indicators.alerts.v1 --file -
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "The topic to send to.") var topic: String
    @Option(name: .long, help: "NDJSON file of structured CloudEvents; - for standard input.") var file: String
    @Flag(name: .long, help: "Allow a topic that is not in the registry.") var allowUnregistered = false
    @Option(name: .long, help: "Output format: text or json.") var format: OutputFormat = .text

    func run() async throws {
        let registry = TopicRegistry()
        guard allowUnregistered || registry.topic(named: topic) != nil else {
            throw ToolFailure(.usage, "\(topic) is not in the registry (citytopics list); pass --allow-unregistered to send there anyway")
        }
        let events = EventFile(bytes: try EventFile.read(file), topic: topic, registry: registry)
        guard events.problems.isEmpty else {
            for problem in events.problems { Console.error(problem) }
            throw ToolFailure(.differences, "\(events.problems.count) of \(events.problems.count + events.entries.count) event(s) invalid: nothing sent")
        }
        guard !events.entries.isEmpty else { throw ToolFailure(.differences, "\(file) holds no events: nothing sent") }
        let reports = try await ClusterSession.with(connection) { session in
            let metadata = try await session.metadata()
            if !connection.allowsAutoCreation { _ = try session.existingTopic(topic, in: metadata) }
            Console.progress("sending \(events.entries.count) event(s) to \(topic)")
            return try await ProducerSession.with(session) { producer in
                let records = events.entries.map { entry in
                    KafkaProducerRecord(
                        topic: topic, key: entry.key, value: entry.value,
                        headers: entry.headers.map { KafkaHeader(name: $0.name, value: $0.value) }
                    )
                }
                return try await producer.send(records, what: "produce")
            }
        }
        switch format {
        case .json: try Console.json(ProduceReport(topic: topic, sent: reports.count, records: reports.map { .init(partition: $0.partition, offset: $0.offset) }))
        case .text: Console.out("sent \(reports.count) event(s) to \(topic)")
        }
    }
}

/// `produce --format json`: where each event was written, in file order.
struct ProduceReport: Encodable {
    struct Position: Encodable {
        var partition: Int32
        var offset: Int64
    }

    var topic: String
    var sent: Int
    var records: [Position]
}
