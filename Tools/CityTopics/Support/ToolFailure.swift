import CityKafka

/// The documented exit codes of `citytopics`.
enum ToolExitCode: Int32 {
    case ok = 0
    /// Differences between registry and cluster, invalid events, a failed check.
    case differences = 1
    /// Bad arguments or missing connection settings.
    case usage = 2
    /// No broker answered.
    case unreachable = 3
    /// Kafka refused or failed an operation (e.g. CreateTopics on the mock cluster, a send).
    case kafkaFailed = 4
    /// A topic, group or file that does not exist.
    case notFound = 5
}

/// An error that ends the command with a one-line message and a documented exit code.
struct ToolFailure: Error, CustomStringConvertible {
    var exitCode: ToolExitCode
    var message: String

    init(_ exitCode: ToolExitCode, _ message: String) {
        self.exitCode = exitCode
        self.message = message
    }

    var description: String { message }

    /// A Kafka error as a tool failure: unreachable brokers and timeouts are exit 3, the rest exit 4.
    static func kafka(_ error: any Error, doing what: String) -> ToolFailure {
        if let failure = error as? ToolFailure { return failure }
        let unreachable: Set<KafkaError.Code> = [.allBrokersDown, .transport, .timedOut]
        if let error = error as? KafkaError, unreachable.contains(error.code) {
            return ToolFailure(.unreachable, "cannot reach the Kafka cluster while \(what): \(error) — check --bootstrap-servers and that the brokers run")
        }
        return ToolFailure(.kafkaFailed, "\(what) failed: \(error)")
    }
}
