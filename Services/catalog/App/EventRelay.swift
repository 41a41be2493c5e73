import CityKafka
import CityRuntime
import Logging
import PostgresNIO
import ServiceLifecycle

/// The outbox relay with its own producer: publishes the catalog's outbox to Kafka and, when the
/// relay stops, flushes and closes the producer.
struct EventRelay: Service {
    let relay: OutboxRelay
    let producer: KafkaProducer

    init(postgres: PostgresClient, bootstrapServers: String, schema: SQLIdentifier, logger: Logger) throws {
        producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: KafkaClientConfiguration(bootstrapServers: bootstrapServers, clientID: "catalog-outbox")),
            logger: logger)
        relay = OutboxRelay(postgres: postgres, producer: producer, schema: schema, logger: logger)
    }

    func run() async throws {
        let outcome: Result<Void, any Error>
        do { outcome = .success(try await relay.run()) } catch { outcome = .failure(error) }
        await producer.shutdown()
        try outcome.get()
    }
}
