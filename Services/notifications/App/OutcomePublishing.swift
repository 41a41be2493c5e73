import CityKafka
import CityRuntime
import Logging
import PostgresNIO
import ServiceLifecycle

/// Publishes the outbox (delivery outcomes) to `city.notifications.deliveries.v1` with an
/// ``OutboxRelay``, owning the Kafka producer it needs: created at start, flushed and closed when
/// the relay stops.
struct OutcomePublishing: Service {
    let postgres: PostgresClient
    let schema: SQLIdentifier
    let bootstrapServers: String
    let logger: Logger

    func run() async throws {
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: KafkaClientConfiguration(bootstrapServers: bootstrapServers, clientID: "notifications-outcomes")),
            logger: logger
        )
        do {
            try await OutboxRelay(postgres: postgres, producer: producer, schema: schema, logger: logger).run()
        } catch {
            await producer.shutdown()
            throw error
        }
        await producer.shutdown()
    }
}
