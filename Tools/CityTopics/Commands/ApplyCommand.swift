import ArgumentParser
import CityEvents
import CityKafka

/// `citytopics apply [--dry-run]`: creates the registry's missing topics through the admin API.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Create the registry's missing topics on the cluster (admin API), showing the difference first.",
        discussion: """
            Shows the plan — each topic to create with partitions, replication factor and config — then \
            creates them. Existing topics that differ (partition count, replication) are reported, never \
            altered: change them deliberately. --dry-run only shows the plan: exit 0 and "nothing to do" \
            when every registry topic exists, exit 1 when there is something to create.

            librdkafka's mock cluster (the dev cluster) does not implement CreateTopics: against it, \
            apply without --dry-run ends with exit 4 after --timeout. The dev cluster creates the \
            registry's topics itself; use apply against real Kafka.

            Example:
              citytopics apply --dry-run
              citytopics apply --bootstrap-servers kafka-0:9092 -X security.protocol=SSL
            """
    )

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var registryOptions: RegistryOptions
    @Flag(name: .long, help: "Only show what would be created.") var dryRun = false
    @Option(name: .long, help: "Output format: text or json.") var format: OutputFormat = .text

    func run() async throws {
        try await ClusterSession.with(connection) { session in
            let metadata = try await session.metadata()
            let registry = ClusterSession.registry(replicationFactor: registryOptions.replicationFactor, metadata: metadata)
            let plan = ApplyPlan(metadata: metadata, registry: registry)
            var results: [String: String] = [:]
            if !dryRun && !plan.create.isEmpty {
                results = try await create(plan.create, session: session)
            }
            try report(plan, results: results)
            if dryRun && !plan.create.isEmpty {
                throw ToolFailure(.differences, "\(plan.create.count) topic(s) to create (dry run: nothing changed)")
            }
            let failed = results.filter { $0.value != "created" }
            if !failed.isEmpty {
                throw ToolFailure(.kafkaFailed, "\(failed.count) topic(s) not created: " + failed.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; "))
            }
        }
    }

    /// Creates the topics; per topic "created" or the broker's reason.
    private func create(_ topics: [TopicDescriptor], session: ClusterSession) async throws -> [String: String] {
        Console.progress("creating \(topics.count) topic(s)")
        let requests = topics.map {
            NewTopic(name: $0.name, partitions: Int32($0.partitions), replicationFactor: Int32($0.replicationFactor), config: $0.kafkaConfig)
        }
        let outcome: [String: Result<Void, KafkaError>]
        do {
            outcome = try await session.admin.createTopics(requests)
        } catch {
            throw ToolFailure(.kafkaFailed, "CreateTopics failed: \(error) (librdkafka's mock cluster does not implement CreateTopics; against real Kafka check the ACLs)")
        }
        var results: [String: String] = [:]
        for topic in topics {
            switch outcome[topic.name] {
            case .success?: results[topic.name] = "created"
            case .failure(let error)?: results[topic.name] = error.code == .topicAlreadyExists ? "created" : "\(error)"
            case nil: results[topic.name] = "no answer for this topic"
            }
        }
        return results
    }

    private func report(_ plan: ApplyPlan, results: [String: String]) throws {
        if format == .json {
            try Console.json(ApplyReport(
                dryRun: dryRun,
                create: plan.create.map { .init(name: $0.name, partitions: $0.partitions, replicationFactor: $0.replicationFactor, config: $0.kafkaConfig, result: results[$0.name]) },
                unchanged: plan.differing.map { .init(name: $0.name, differences: $0.differences) }
            ))
            return
        }
        if plan.create.isEmpty {
            Console.out("nothing to do: every registry topic exists on the cluster")
        }
        for topic in plan.create {
            let config = topic.kafkaConfig.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            let result = results[topic.name].map { " → \($0)" } ?? ""
            Console.out("+ create \(topic.name): \(topic.partitions) partitions, replication \(topic.replicationFactor), \(config)\(result)")
        }
        for topic in plan.differing {
            Console.out("! \(topic.name) exists but differs (apply does not alter it): \(topic.differences.joined(separator: "; "))")
        }
    }
}

/// What `apply` would do: registry topics to create, and existing ones that differ.
struct ApplyPlan {
    var create: [TopicDescriptor]
    var differing: [(name: String, differences: [String])]

    init(metadata: ClusterMetadata, registry: TopicRegistry) {
        create = TopicComparison.missing(from: metadata, registry: registry)
        let missing = Set(create.map(\.name))
        differing = registry.allTopics.compactMap { descriptor in
            guard !missing.contains(descriptor.name) else { return nil }
            let differences = TopicComparison.differences(descriptor, metadata.topic(named: descriptor.name))
            return differences.isEmpty ? nil : (descriptor.name, differences)
        }
    }
}

/// `apply --format json`.
struct ApplyReport: Encodable {
    struct Creation: Encodable {
        var name: String
        var partitions: Int
        var replicationFactor: Int
        var config: [String: String]
        /// `created` or the reason; absent in a dry run.
        var result: String?
    }

    struct Unchanged: Encodable {
        var name: String
        var differences: [String]
    }

    var dryRun: Bool
    var create: [Creation]
    var unchanged: [Unchanged]
}
