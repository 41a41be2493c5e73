import CityEvents
import CityKafka

/// Publishes a consumed record that could not be processed to `<topic>.dlq`, under the same key, as a
/// `DeadLetterRecord` CloudEvent, with plain headers for tools that do not decode the event:
/// `dlq-error`, `dlq-group`, `dlq-topic`, `dlq-partition` and `dlq-offset`. `publish` returns only when
/// the broker acknowledged the dead letter, so the caller may then store the original's offset.
public struct DeadLetterPublisher: Sendable {
    public enum HeaderName {
        public static let error = "dlq-error"
        public static let group = "dlq-group"
        public static let topic = "dlq-topic"
        public static let partition = "dlq-partition"
        public static let offset = "dlq-offset"
    }

    public let producer: KafkaProducer
    public let consumerGroup: String
    /// The `ce_source` of the dead-letter events, e.g. `/city/indicators`.
    public let source: String

    public init(producer: KafkaProducer, consumerGroup: String, source: String) {
        self.producer = producer
        self.consumerGroup = consumerGroup
        self.source = source
    }

    /// Sends `record` to its dead-letter topic and waits for the acknowledgement.
    @discardableResult
    public func publish(_ record: KafkaConsumerRecord, error: String, attempts: Int) async throws(DeadLetterError) -> KafkaDeliveryReport {
        let letter = DeadLetterRecord(
            failed: record.eventRecord, partition: Int(record.partition), offset: record.offset,
            error: error, consumerGroup: consumerGroup, attempts: attempts
        )
        let encoded: KafkaRecord
        do {
            encoded = try EventCodec.encode(letter, source: source)
        } catch {
            throw DeadLetterError(topic: record.topic, partition: record.partition, offset: record.offset, reason: "encoding the dead letter failed: \(error)")
        }
        var outgoing = KafkaProducerRecord(encoded)
        outgoing.headers += [
            KafkaHeader(name: HeaderName.error, text: error),
            KafkaHeader(name: HeaderName.group, text: consumerGroup),
            KafkaHeader(name: HeaderName.topic, text: record.topic),
            KafkaHeader(name: HeaderName.partition, text: String(record.partition)),
            KafkaHeader(name: HeaderName.offset, text: String(record.offset)),
        ]
        do {
            return try await producer.send(outgoing)
        } catch {
            throw DeadLetterError(topic: record.topic, partition: record.partition, offset: record.offset, reason: "\(outgoing.topic) did not acknowledge: \(error)")
        }
    }
}

/// A record could not be dead-lettered; its offset was not stored, so it is consumed again after restart.
public struct DeadLetterError: Error, Sendable, CustomStringConvertible {
    public let topic: String
    public let partition: Int32
    public let offset: Int64
    public let reason: String

    public var description: String {
        "could not dead-letter \(topic)[\(partition)]@\(offset): \(reason); the offset was not stored, so the record is read again after restart — check that \(TopicName.deadLetter(of: topic)) exists and the brokers are reachable"
    }
}
