import ArgumentParser
import CityKafka
import Foundation
import Logging

/// Where the cluster is and how to talk to it: flag, environment, or the local stack's env files.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: "Kafka bootstrap servers, host:port[,host:port…] (default: $KAFKA_BOOTSTRAP_SERVERS, then .dev/stack.env, then .dev/kafka.env).")
    var bootstrapServers: String?

    @Option(name: [.customShort("X"), .customLong("property")], help: ArgumentHelp("Extra librdkafka property, e.g. -X security.protocol=SSL (repeatable; values are never printed).", valueName: "key=value"))
    var properties: [String] = []

    @Option(name: .long, help: "Seconds to wait for a broker's answer before giving up.")
    var timeout: Double = 10

    @Flag(name: .long, help: "Log librdkafka's messages at debug level on standard error.")
    var verbose = false

    func validate() throws {
        for property in properties where !property.contains("=") {
            throw ValidationError("-X expects key=value, got a value without '=' (\(property.split(separator: "=").first ?? ""))")
        }
        guard timeout > 0, timeout <= 600 else { throw ValidationError("--timeout must be between 0 and 600 seconds") }
    }

    /// The librdkafka properties given with -X.
    var propertyMap: [String: String] {
        var map: [String: String] = [:]
        for property in properties {
            let parts = property.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            map[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return map
    }

    /// The bootstrap servers from the first source that has them.
    func resolvedBootstrapServers() throws -> String {
        if let bootstrapServers, !bootstrapServers.isEmpty { return bootstrapServers }
        if let fromEnvironment = ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        for file in [".dev/stack.env", ".dev/kafka.env"] {
            if let value = EnvFile.value(of: "KAFKA_BOOTSTRAP_SERVERS", in: file) { return value }
        }
        throw ToolFailure(.usage, "no Kafka cluster given: pass --bootstrap-servers, set KAFKA_BOOTSTRAP_SERVERS, or run where .dev/stack.env exists (make up)")
    }

    /// The client configuration for every Kafka handle the command opens.
    func client() throws -> KafkaClientConfiguration {
        KafkaClientConfiguration(
            bootstrapServers: try resolvedBootstrapServers(), clientID: "citytopics", statisticsInterval: nil,
            properties: propertyMap
        )
    }

    var timeoutDuration: Duration { .milliseconds(Int64(timeout * 1000)) }

    /// Whether -X allows the broker to create a topic on first use (the mock cluster does).
    var allowsAutoCreation: Bool { propertyMap["allow.auto.create.topics"] == "true" }

    /// librdkafka's logs go to standard error with --verbose; otherwise only critical ones.
    var logger: Logger {
        var logger = Logger(label: "citytopics") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = verbose ? .debug : .critical  // failures are reported once, by the command
        return logger
    }
}

/// Reads `KEY=VALUE` lines (the local stack's env files); `#` comments and blank lines are skipped.
enum EnvFile {
    static func value(of key: String, in path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") else { continue }
            var name = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("export ") { name = String(name.dropFirst("export ".count)).trimmingCharacters(in: .whitespaces) }
            guard name == key else { continue }
            var value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == value.last, first == "\"" || first == "'" {
                value = String(value.dropFirst().dropLast())
            }
            return value.isEmpty ? nil : value
        }
        return nil
    }
}
