import CityEvents
import CityKafka

/// A record of a `<topic>.dlq` topic, decoded as a ``DeadLetterRecord`` when it is one.
struct DeadLetterEntry: Encodable, Sendable {
    var partition: Int32
    var offset: Int64
    @Nullable var originalTopic: String? = nil
    @Nullable var originalPartition: Int? = nil
    @Nullable var originalOffset: Int64? = nil
    @Nullable var key: ByteString? = nil
    @Nullable var error: String? = nil
    @Nullable var consumerGroup: String? = nil
    @Nullable var failedAt: String? = nil
    @Nullable var attempts: Int? = nil
    /// Whether the redrive log has a marker for it.
    var redriven: Bool
    /// Why the record is not a dead letter the tool can redrive; `nil` when it is one.
    @Nullable var problem: String? = nil
    /// The original record, rebuilt (not part of the JSON output).
    var original: KafkaRecord?

    init(_ record: KafkaConsumerRecord, redriven: Bool) {
        partition = record.partition
        offset = record.offset
        self.redriven = redriven
        do throws(EventDecodingError) {
            let envelope = try CloudEvent(kafkaHeaders: record.eventHeaders, value: record.value)
            let letter = try EventCodec.event(DeadLetterRecord.self, from: envelope).payload
            originalTopic = letter.originalTopic
            originalPartition = letter.partition
            originalOffset = letter.offset
            key = letter.key
            error = letter.error
            consumerGroup = letter.consumerGroup
            failedAt = letter.failedAt.rfc3339
            attempts = letter.attempts
            original = letter.originalRecord
            if original == nil { problem = "a base64 field of the dead letter is corrupt" }
        } catch {
            problem = "not a dead-letter event: \(error.description)"
        }
    }

    /// Every field but the rebuilt original record.
    enum CodingKeys: String, CodingKey {
        case partition, offset, originalTopic, originalPartition, originalOffset, key, error, consumerGroup, failedAt, attempts, redriven, problem
    }
}
