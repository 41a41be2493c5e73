import Foundation
import Testing

/// The stack's running Kafka dev cluster, which `make test` starts with every platform topic and
/// exports as `KAFKA_BOOTSTRAP_SERVERS`. Tests that only need working topics share it (with unique
/// ids); tests that break brokers start a private ``DevCluster``.
public enum LiveKafka {
    /// The bootstrap servers; skips the test with the reason when unset, or fails it under `CI=true`.
    public static func bootstrapServers() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        guard let servers = environment["KAFKA_BOOTSTRAP_SERVERS"], !servers.isEmpty else {
            if environment["CI"] == "true" {
                Issue.record("KAFKA_BOOTSTRAP_SERVERS is not set, and CI=true requires the Kafka dev cluster: Tools/stack/kafka.sh start")
                throw TestDatabase.NotConfigured()
            }
            try Test.cancel("skipped: KAFKA_BOOTSTRAP_SERVERS is not set (Tools/stack/kafka.sh start, then source .dev/kafka.env)")
        }
        return servers
    }
}
