import ArgumentParser
import CityEvents
import Foundation

/// `citytopics export --strimzi`: the registry as Kubernetes resources.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the registry as Strimzi KafkaTopic resources for Kubernetes.",
        discussion: """
            Needs no cluster. The output is what deploy/k8s/base/kafka/kafka-topics.yaml holds (a test \
            keeps them identical): one KafkaTopic per registry topic, named with dots as dashes, \
            spec.topicName the real name, config keys sorted and quoted.

            Example:
              citytopics export --strimzi --output deploy/k8s/base/kafka/kafka-topics.yaml
              citytopics export --strimzi --cluster city-kafka --replication-factor 3 | kubectl apply -f -
            """
    )

    @Flag(name: .long, help: "Strimzi KafkaTopic resources (the only format for now).") var strimzi = false
    @Option(name: .long, help: "The Strimzi Kafka cluster the topics belong to (label strimzi.io/cluster).") var cluster = "citydata"
    @Option(name: .long, help: "Write to this file instead of standard output.") var output: String?
    @OptionGroup var registryOptions: RegistryOptions

    func validate() throws {
        guard strimzi else { throw ValidationError("choose a format: --strimzi") }
        guard !cluster.isEmpty else { throw ValidationError("--cluster must not be empty") }
    }

    func run() throws {
        let registry = TopicRegistry(replicationFactor: registryOptions.replicationFactor ?? TopicRegistry.productionReplicationFactor)
        let yaml = StrimziManifest.yaml(registry: registry, cluster: cluster)
        guard let output else {
            FileHandle.standardOutput.write(Data(yaml.utf8))
            return
        }
        do {
            try Data(yaml.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw ToolFailure(.notFound, "cannot write \(output): \(error.localizedDescription)")
        }
        Console.error("wrote \(registry.allTopics.count) KafkaTopic resources to \(output)")
    }
}
