import ArgumentParser
import CityKafka
import CityRuntime
import Logging
import PostgresNIO

/// `sink`: the exactly-once sink writing each record to `<schema>.sink_rows`.
struct SinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sink", abstract: "Exactly-once sink into <schema>.sink_rows.")

    @Option var topic: String
    @Option var group: String
    @Option var schema: String
    @Option(help: "Pause inside each batch's transaction (widens the window for a kill).") var delayMs: Int = 0
    @Option var maxBatch: Int = 50

    static func migrations(_ schema: SQLIdentifier) -> [Migration] {
        [
            KafkaOffsetsMigration.migration(version: 1, schema: schema),
            Migration(version: 2, name: "sink_rows", sql: """
                CREATE TABLE \(schema.quoted).sink_rows (
                    topic text NOT NULL, partition integer NOT NULL, "offset" bigint NOT NULL, value text
                );
                """),
        ]
    }

    func run() async throws {
        let environment = try ProbeEnvironment(label: "runtime-probe.sink")
        let schema = try environment.schema(self.schema)
        let logger = environment.logger
        try await environment.migrate(schema, Self.migrations(schema))
        let postgres = PostgresClient(configuration: try environment.databaseConfiguration(), backgroundLogger: logger)
        var consumer = KafkaConsumerConfiguration(client: environment.kafkaClient, groupID: group, topics: [topic])
        consumer.offsetStorage = .kafka(commitInterval: .seconds(1))  // the sink keeps the interval, owns the offsets
        let delay = Duration.milliseconds(delayMs)
        let sink = ExactlyOnceSink(consumer: consumer, postgres: postgres, schema: schema, maxBatch: maxBatch, logger: logger) { batch, connection in
            for record in batch {
                let value = record.value.map { String(decoding: $0, as: UTF8.self) }
                try await connection.query(
                    "INSERT INTO \(unescaped: schema.quoted).sink_rows (topic, partition, \"offset\", value) VALUES (\(record.topic), \(record.partition), \(record.offset), \(value))",
                    logger: logger
                )
            }
            if delay > .zero { try await Task.sleep(for: delay) }
        }
        emit("sink started")
        try await runStandaloneServices([postgres, sink], logger: logger)
        emit("sink stopped")
    }
}

