/// The records of a `KafkaConsumer` as an `AsyncSequence`. Ending the iteration — normally, by `break`,
/// or by a thrown error — closes the consumer: stored offsets are committed and the group is left.
public struct KafkaConsumerRecords: AsyncSequence, Sendable {
    public typealias Element = KafkaConsumerRecord
    public typealias Failure = KafkaError

    let consumer: KafkaConsumer

    public func makeAsyncIterator() -> Iterator { Iterator(lifetime: IterationLifetime(consumer: consumer)) }

    /// Hands out records one by one from the batches the poll thread delivers.
    public struct Iterator: AsyncIteratorProtocol {
        let lifetime: IterationLifetime
        var batch: [KafkaConsumerRecord] = []
        var position = 0

        public mutating func next() async throws(KafkaError) -> KafkaConsumerRecord? {
            try await next(isolation: nil)
        }

        public mutating func next(isolation actor: isolated (any Actor)?) async throws(KafkaError) -> KafkaConsumerRecord? {
            while position == batch.count {
                guard let records = try await lifetime.consumer.take() else { return nil }
                batch = records
                position = 0
            }
            defer { position += 1 }
            return batch[position]
        }

        /// The records not handed out yet of the batch the poll thread delivered last, or the next
        /// batch (waiting for it); `nil` at the end. For consumers that work in batches anyway: one
        /// call instead of one `next()` per record.
        public mutating func nextBatch() async throws(KafkaError) -> [KafkaConsumerRecord]? {
            if position < batch.count {
                defer { batch = []; position = 0 }
                return position == 0 ? batch : Array(batch[position...])
            }
            batch = []
            position = 0
            return try await lifetime.consumer.take()
        }
    }

    /// Closes the consumer when the last copy of the iterator goes away.
    final class IterationLifetime: Sendable {
        let consumer: KafkaConsumer
        init(consumer: KafkaConsumer) { self.consumer = consumer }
        deinit { consumer.iterationEnded() }
    }
}
