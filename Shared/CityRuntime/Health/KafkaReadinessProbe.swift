import CityKafka
import Logging

/// Answers the readiness check "kafka": the cluster answers a metadata request within the check's
/// time. Its client logs only critical messages — an unreachable cluster shows in `/health/ready`,
/// not as a log line per reconnection attempt.
public struct KafkaReadinessProbe: Sendable {
    private let admin: KafkaAdmin

    public init(bootstrapServers: String, clientID: String, logger: Logger) throws(KafkaError) {
        var client = KafkaClientConfiguration(bootstrapServers: bootstrapServers, clientID: "\(clientID)-readiness", statisticsInterval: nil)
        client.properties["log_level"] = "2"
        admin = try KafkaAdmin(configuration: client, logger: logger, timeout: .seconds(2))
    }

    /// Throws when the cluster did not describe itself or reports no broker.
    public func check() async throws {
        let metadata = try await admin.metadata()
        guard !metadata.brokers.isEmpty else { throw NotReady(reason: "the Kafka cluster reports no broker") }
    }

    public func shutdown() async { await admin.shutdown() }
}
