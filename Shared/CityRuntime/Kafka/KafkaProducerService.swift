import CityKafka
import ServiceLifecycle

/// Owns a `KafkaProducer` for the lifetime of a service: it idles until graceful shutdown, then
/// flushes and shuts the producer down. Add it before the services that send with the producer, so
/// that shutdown (which runs in reverse order) stops them first and flushes what they sent.
public struct KafkaProducerService: Service {
    /// The producer everything in the process sends with.
    public let producer: KafkaProducer

    public init(producer: KafkaProducer) { self.producer = producer }

    public func run() async throws {
        try? await gracefulShutdown()
        await producer.shutdown()
    }
}
