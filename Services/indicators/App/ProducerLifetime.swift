import CityKafka
import ServiceLifecycle

/// Keeps the outbox relay's producer until graceful shutdown, then flushes and releases it. Added
/// before the relay, so it stops after it (services stop in reverse order).
struct ProducerLifetime: Service {
    let producer: KafkaProducer

    func run() async throws {
        try? await gracefulShutdown()
        await producer.shutdown()
    }
}
