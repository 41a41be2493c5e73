import ArgumentParser
import CityKafka
import CityRuntime
import Foundation
import Logging
import PostgresNIO

/// `runtime-probe`: runs one consumer pattern of CityRuntime (the exactly-once sink, the outbox relay,
/// the at-least-once processor) against `KAFKA_BOOTSTRAP_SERVERS` and `DATABASE_URL`, so that tests
/// can kill it (SIGKILL, SIGTERM) and check what survived.
@main
struct RuntimeProbe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runtime-probe",
        abstract: "Runs a CityRuntime consumer pattern as a process for kill tests.",
        subcommands: [SinkCommand.self, RelayCommand.self, ProcessCommand.self, StuckCommand.self]
    )
}

/// The probe's environment, validated at start.
struct ProbeEnvironment {
    let bootstrapServers: String
    let logger: Logger

    init(label: String) throws {
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = ProcessInfo.processInfo.environment["PROBE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        self.logger = logger
        guard let servers = ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"], !servers.isEmpty else {
            throw ValidationError("KAFKA_BOOTSTRAP_SERVERS is not set (host:port,…)")
        }
        bootstrapServers = servers
    }

    var kafkaClient: KafkaClientConfiguration {
        KafkaClientConfiguration(bootstrapServers: bootstrapServers, clientID: "runtime-probe", statisticsInterval: nil)
    }

    func databaseConfiguration() throws -> PostgresClient.Configuration {
        guard let raw = ProcessInfo.processInfo.environment["DATABASE_URL"], let url = DatabaseURL.parse(raw) else {
            throw ValidationError("DATABASE_URL is not set or not a postgres:// URL")
        }
        return url.clientConfiguration(applicationName: "runtime-probe")
    }

    func schema(_ name: String) throws -> SQLIdentifier {
        guard let schema = SQLIdentifier(name) else { throw ValidationError("--schema must be \(SQLIdentifier.expectation)") }
        return schema
    }

    /// Applies `migrations` to `schema` (under the runner's advisory lock) with a short-lived client.
    func migrate(_ schema: SQLIdentifier, _ migrations: [Migration]) async throws {
        let logger = self.logger
        try await withPostgresClient(databaseConfiguration(), logger: logger) { client in
            _ = try await MigrationRunner(schema: schema, migrations: migrations).apply(using: client, logger: logger)
        }
    }
}

/// One line on standard output, flushed at once (tests read the file while the probe runs).
func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
