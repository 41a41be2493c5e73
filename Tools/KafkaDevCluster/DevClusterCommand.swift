import ArgumentParser
import CityEvents
import CityKafka
import Foundation
import Logging

/// `kafka-dev-cluster`: librdkafka's mock Kafka cluster as a process of its own, with the platform's
/// topics, for development and tests. Clients connect over TCP exactly as to Apache Kafka.
@main
struct DevClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka-dev-cluster",
        abstract: "Run a local Kafka-protocol cluster (librdkafka's mock brokers) with CityData's topics (from the topic registry, dead-letter topics included).",
        discussion: """
        Prints KAFKA_BOOTSTRAP_SERVERS=… once the brokers listen and the topics exist, writes the same
        line to --env-file, then reads fault commands, one a line, on standard input:

          broker down N | broker up N     take broker N (1-based) down or back up
          rtt N MS                         add MS milliseconds to every response of broker N
          errors API CODE[,CODE…]          fail the next requests of API (Produce, Fetch, Metadata,
                                           OffsetCommit, JoinGroup, … or its number) with CODEs
                                           (e.g. NOT_LEADER_FOR_PARTITION, REQUEST_TIMED_OUT)
          leader TOPIC PARTITION N         move a partition's leadership to broker N
          topic NAME PARTITIONS            create another topic
          status | help

        Each command answers one line starting with "ok" or "error". SIGTERM or SIGINT stops the
        cluster. Known limits of librdkafka 2.0.2's mock: no CreateTopics API; a partition keeps
        about 5 MiB or 100,000 batches; a new consumer group waits about 3 s to join.

        Example:
          kafka-dev-cluster --brokers 3 --env-file .dev/kafka.env
        """
    )

    @Option(help: "Number of brokers.")
    var brokers: Int = 3

    @Option(help: "Replication factor of the topics (at most the broker count; default: min(3, brokers)).")
    var replicationFactor: Int?

    @Option(help: "Also write KAFKA_BOOTSTRAP_SERVERS=… to this file.")
    var envFile: String?

    @Option(name: .customLong("topic"), help: "An extra topic as NAME:PARTITIONS (repeatable).")
    var extraTopics: [String] = []

    @Flag(help: "Do not create the platform's topics.")
    var noPlatformTopics = false

    func validate() throws {
        guard (1...16).contains(brokers) else { throw ValidationError("--brokers must be between 1 and 16") }
        if let replicationFactor, !(1...brokers).contains(replicationFactor) {
            throw ValidationError("--replication-factor must be between 1 and the broker count (\(brokers))")
        }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        let logger = Logger(label: "kafka-dev-cluster")
        let cluster = try MockKafkaCluster(brokers: brokers, logger: logger)
        let factor = Int32(replicationFactor ?? min(3, brokers))
        let registry = TopicRegistry(replicationFactor: Int(factor))
        var topics: [(String, Int32)] = noPlatformTopics ? [] : registry.allTopics.map { ($0.name, Int32($0.partitions)) }
        for spec in extraTopics {
            let parts = spec.split(separator: ":")
            guard parts.count == 2, let count = Int32(parts[1]), count > 0 else {
                throw ValidationError("--topic wants NAME:PARTITIONS, got \(spec)")
            }
            topics.append((String(parts[0]), count))
        }
        for (name, partitions) in topics {
            try cluster.createTopic(name, partitions: partitions, replicationFactor: factor)
        }
        let line = "KAFKA_BOOTSTRAP_SERVERS=\(cluster.bootstrapServers)"
        if let envFile {
            let url = URL(fileURLWithPath: envFile)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try (line + "\n").write(to: url, atomically: true, encoding: .utf8)
        }
        emitLine(line)
        emitLine("ready: \(brokers) brokers, \(topics.count) topics, replication factor \(factor)")

        let controller = FaultController(cluster: cluster, topicReplicationFactor: factor)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await SignalWaiter.waitForTermination() }
            group.addTask { await controller.serve(input: StandardInputLines()) }
            // Whichever ends first (a signal, or `quit`) stops the cluster; standard input reaching its
            // end does not (a background cluster has no input).
            await group.next()
            group.cancelAll()
        }
        await cluster.shutdown()
        emitLine("stopped")
    }
}
