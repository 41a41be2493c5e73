import CityEvents
import CityKafka
import Logging
import ServiceLifecycle

/// An at-least-once consumer as a lifecycle `Service`: reads `topics` in a consumer group, decodes
/// each record and hands it to `handle`, one at a time in partition order.
///
/// - A record that does not decode goes to `<topic>.dlq` at once, with the decoding error.
/// - A handler error is retried `retry.maxRetries` times with exponential backoff; then the record is
///   dead-lettered and the consumer moves on.
/// - A record's offset is stored only after its handler succeeded or its dead letter was
///   acknowledged, so a crash redelivers, never loses.
/// - Graceful shutdown finishes the record in hand (its retries are cut short: it is not stored and
///   comes again), stores, and closes the consumer, which commits and leaves the group.
public struct RecordProcessor<Value: Sendable>: Service {
    public typealias Decoder = @Sendable (KafkaConsumerRecord) throws -> Value
    public typealias Handler = @Sendable (Value, KafkaConsumerRecord) async throws -> Void

    public let consumer: KafkaConsumerConfiguration
    public let retry: RetryPolicy
    public let deadLetters: DeadLetterPublisher
    public let logger: Logger
    private let decode: Decoder
    private let handle: Handler

    public init(
        consumer: KafkaConsumerConfiguration, retry: RetryPolicy = RetryPolicy(), deadLetters: DeadLetterPublisher,
        logger: Logger, decode: @escaping Decoder, handle: @escaping Handler
    ) {
        self.consumer = consumer
        self.retry = retry
        self.deadLetters = deadLetters
        self.logger = logger
        self.decode = decode
        self.handle = handle
    }

    public func run() async throws {
        let kafka = try KafkaConsumer(configuration: consumer, logger: logger)
        try await consumeBuffered(kafka, capacity: consumer.batchSize) { buffer in
            while let records = try await buffer.next(limit: 1) {
                for record in records {
                    guard try await process(record) else { return }
                    kafka.storeOffset(for: record)
                }
            }
        }
    }

    /// Handles one record; `true` when it is done with (handled or dead-lettered), `false` when shutdown
    /// interrupted its retries and it must not be stored.
    private func process(_ record: KafkaConsumerRecord) async throws -> Bool {
        let value: Value
        do {
            value = try decode(record)
        } catch {
            logger.warning("undecodable record goes to the dead-letter topic", metadata: metadata(record, error))
            try await deadLetters.publish(record, error: "\(error)", attempts: 1)
            return true
        }
        var attempt = 1
        while true {
            do {
                try await handle(value, record)
                return true
            } catch {
                if attempt > retry.maxRetries {
                    logger.warning("handler failed after \(attempt) attempts; record goes to the dead-letter topic", metadata: metadata(record, error))
                    try await deadLetters.publish(record, error: "\(error)", attempts: attempt)
                    return true
                }
                logger.info("handler failed; retrying", metadata: metadata(record, error))
                let backoff = retry.backoff(beforeRetry: attempt)
                do {
                    try await cancelWhenGracefulShutdown { try await Task.sleep(for: backoff) }
                } catch {
                    return false
                }
                if Task.isShuttingDownGracefully || Task.isCancelled { return false }
                attempt += 1
            }
        }
    }

    private func metadata(_ record: KafkaConsumerRecord, _ error: any Error) -> Logger.Metadata {
        ["topic": "\(record.topic)", "partition": "\(record.partition)", "offset": "\(record.offset)", "error": "\(error)"]
    }
}

extension RecordProcessor {
    /// A processor of CityData events of one payload type: a record that is not a valid event of that
    /// type is dead-lettered with the `EventDecodingError`'s description.
    public init<Payload: EventPayload>(
        events: Payload.Type, consumer: KafkaConsumerConfiguration, retry: RetryPolicy = RetryPolicy(),
        deadLetters: DeadLetterPublisher, logger: Logger, handle: @escaping Handler
    ) where Value == Event<Payload> {
        self.init(consumer: consumer, retry: retry, deadLetters: deadLetters, logger: logger, decode: { record in
            try EventCodec.decode(Payload.self, record: record.eventRecord)
        }, handle: handle)
    }
}
