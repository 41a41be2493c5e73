import CityKafka
import Foundation
import Logging
import Testing

/// A private Kafka dev cluster (the `kafka-dev-cluster` executable as its own process) for one test.
///
/// Without the executable the test is skipped with the reason, except under `CI=true`, where it fails.
public final class DevCluster: Sendable {
    public struct NotAvailable: Error, CustomStringConvertible {
        public let description: String
    }

    public let process: ChildProcess
    public let bootstrapServers: String

    /// Starts a cluster with `brokers` brokers and the given topics (`name: partitions`).
    public init(brokers: Int = 1, topics: [String: Int]) async throws {
        var arguments = ["--brokers", String(brokers), "--no-platform-topics"]
        for (name, partitions) in topics.sorted(by: { $0.key < $1.key }) {
            arguments += ["--topic", "\(name):\(partitions)"]
        }
        process = try Self.launch(arguments)
        let line = try await process.waitForLine(within: .seconds(20)) { $0.hasPrefix("KAFKA_BOOTSTRAP_SERVERS=") }
        bootstrapServers = String(line.dropFirst("KAFKA_BOOTSTRAP_SERVERS=".count))
        _ = try await process.waitForLine(within: .seconds(20)) { $0.hasPrefix("ready:") }
    }

    /// Starts the executable; a missing one skips the test, or fails it under `CI=true`.
    private static func launch(_ arguments: [String]) throws -> ChildProcess {
        do {
            return try ChildProcess("kafka-dev-cluster", arguments: arguments, environment: [:])
        } catch let missing as ChildProcess.ExecutableMissing {
            guard ProcessInfo.processInfo.environment["CI"] != "true" else {
                Issue.record("\(missing), and CI=true requires the Kafka tests to run: build kafka-dev-cluster or set CITYDATA_BIN_DIR")
                throw NotAvailable(description: "\(missing)")
            }
            try Test.cancel("skipped: \(missing)")
        }
    }

    /// Stops the cluster with SIGTERM.
    public func stop() async throws {
        process.terminate()
        _ = try await process.waitForExit(within: .seconds(20))
    }

    public var client: KafkaClientConfiguration {
        KafkaClientConfiguration(bootstrapServers: bootstrapServers, clientID: "test", statisticsInterval: nil)
    }

    /// Runs `body` with a fresh cluster and stops it afterwards, also when `body` throws.
    public static func with<Result: Sendable>(topics: [String: Int], _ body: (DevCluster) async throws -> Result) async throws -> Result {
        let cluster = try await DevCluster(topics: topics)
        let result: Swift.Result<Result, any Error>
        do { result = .success(try await body(cluster)) } catch { result = .failure(error) }
        try await cluster.stop()
        return try result.get()
    }
}
