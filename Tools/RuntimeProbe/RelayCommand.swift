import ArgumentParser
import CityKafka
import CityRuntime
import Logging
import PostgresNIO

/// `relay`: the outbox relay of `<schema>.outbox`.
struct RelayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "relay", abstract: "Relays <schema>.outbox to Kafka.")

    @Option var schema: String
    @Option(help: "Test hook: after a batch was acknowledged, print `published FIRST-LAST` and wait this long before marking it sent.")
    var pauseAfterPublishMs: Int = 0
    @Option var batchSize: Int = 100

    func run() async throws {
        let environment = try ProbeEnvironment(label: "runtime-probe.relay")
        let schema = try environment.schema(self.schema)
        let logger = environment.logger
        try await environment.migrate(schema, [OutboxMigration.migration(version: 1, schema: schema)])
        let postgres = PostgresClient(configuration: try environment.databaseConfiguration(), backgroundLogger: logger)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: environment.kafkaClient), logger: logger)
        var configuration = OutboxRelay.Configuration()
        configuration.batchSize = batchSize
        let pause = Duration.milliseconds(pauseAfterPublishMs)
        let relay = OutboxRelay(postgres: postgres, producer: producer, schema: schema, configuration: configuration, logger: logger) { ids in
            emit("published \(ids.first ?? 0)-\(ids.last ?? 0)")
            if pause > .zero { try? await Task.sleep(for: pause) }
        }
        emit("relay started")
        do {
            try await runStandaloneServices([postgres, relay], logger: logger)
        } catch {
            await producer.shutdown()
            throw error
        }
        await producer.shutdown()
        emit("relay stopped")
    }
}
