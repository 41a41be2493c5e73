import CityKafka
import Foundation
import Logging

/// A private Kafka dev cluster (the `kafka-dev-cluster` executable as its own process) for one test,
/// so that tests which break brokers do not disturb each other.
final class DevCluster: Sendable {
    let process: ChildProcess
    let bootstrapServers: String

    /// Starts a cluster with `brokers` brokers and the given topics (`name: partitions`).
    init(brokers: Int = 3, topics: [String: Int]) async throws {
        var arguments = ["--brokers", String(brokers), "--no-platform-topics"]
        for (name, partitions) in topics.sorted(by: { $0.key < $1.key }) {
            arguments += ["--topic", "\(name):\(partitions)"]
        }
        process = try ChildProcess("kafka-dev-cluster", arguments)
        let line = try await process.waitForLine(timeout: .seconds(20)) { $0.hasPrefix("KAFKA_BOOTSTRAP_SERVERS=") }
        bootstrapServers = String(line.dropFirst("KAFKA_BOOTSTRAP_SERVERS=".count))
        _ = try await process.waitForLine { $0.hasPrefix("ready:") }
    }

    /// Sends a fault command and waits for its `ok` answer.
    func command(_ command: String) async throws {
        let before = process.output.count
        try process.send(command)
        let deadline = ContinuousClock.now + .seconds(10)
        while process.output.count <= before {
            guard ContinuousClock.now < deadline else { throw TestFailure("dev cluster did not answer `\(command)`") }
            try await Task.sleep(for: .milliseconds(20))
        }
        let reply = process.output[before]
        guard reply.hasPrefix("ok") else { throw TestFailure("dev cluster refused `\(command)`: \(reply)") }
    }

    /// Stops the cluster with SIGTERM and checks that it exits cleanly.
    func stop() async throws {
        process.signal(SIGTERM)
        let status = try await process.waitForExit(timeout: .seconds(20))
        guard status == 0 else { throw TestFailure("dev cluster exited with \(status)") }
    }

    var client: KafkaClientConfiguration {
        KafkaClientConfiguration(bootstrapServers: bootstrapServers, clientID: "test", statisticsInterval: nil)
    }
}

/// A logger for tests: warnings and worse to standard error.
func testLogger(_ label: String = "test") -> Logger {
    var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
    logger.logLevel = .warning
    return logger
}

/// A unique name for topics and groups within one test run.
func uniqueName(_ prefix: String) -> String { "\(prefix)-\(UInt32.random(in: 0...UInt32.max))" }
