import CRdKafka
import Dispatch
import Logging
import Synchronization

/// Reads records of a consumer group as an `AsyncSequence`, at least once by default.
///
/// - Offsets: `storeOffset(for:)` marks a record processed; only stored offsets are committed
///   (periodically, before partitions are revoked, and on close), so a commit never passes a record the
///   application has not finished. With `.external` offset storage the consumer seeks, on every
///   assignment, to the offsets the application supplies (an exactly-once sink keeps them in its own
///   database).
/// - Threads: a dedicated thread polls librdkafka and serves rebalances, logs and statistics; Swift
///   tasks only take records from a bounded hand-off buffer, so a slow handler stops fetching instead of
///   growing memory.
/// - Closing: `close()` — or the end of iteration, even by `break` — commits stored offsets and leaves
///   the group, so partitions move to other members at once.
public final class KafkaConsumer: Sendable {
    private let shared: ConsumerShared
    private let handle: HandleBox
    private let context: ConsumerContext
    private let pollThread: PollThread
    private let wakeUp: DispatchSemaphoreBox
    /// Assignment changes and non-fatal errors.
    public let events: AsyncStream<KafkaConsumerEvent>

    public init(configuration: KafkaConsumerConfiguration, logger: Logger) throws(KafkaError) {
        guard !configuration.topics.isEmpty else {
            throw KafkaError(code: .invalidArgument, message: "a consumer needs at least one topic", operation: "subscribe")
        }
        let shared = ConsumerShared(batchSize: configuration.batchSize)
        let (events, eventSink) = AsyncStream<KafkaConsumerEvent>.makeStream(bufferingPolicy: .bufferingNewest(256))
        let context = ConsumerContext(
            logger: logger, clientID: configuration.client.clientID, shared: shared, events: eventSink,
            offsetStorage: configuration.offsetStorage, resetPolicy: configuration.resetPolicy
        )
        let conf = try RdKafkaConf.make(configuration.librdkafkaProperties)
        context.install(on: conf)
        rd_kafka_conf_set_rebalance_cb(conf) { rk, err, partitions, opaque in
            guard let rk, let partitions, let opaque else { return }
            let context = Unmanaged<ClientContext>.fromOpaque(opaque).takeUnretainedValue() as! ConsumerContext
            context.rebalance(rk, err, partitions)
        }
        let rk = try RdKafkaConf.newClient(type: RD_KAFKA_CONSUMER, conf: conf, operation: "create consumer")
        ClientContext.routeLogs(of: rk)
        rd_kafka_poll_set_consumer(rk)
        let topicList = rd_kafka_topic_partition_list_new(Int32(configuration.topics.count))!
        defer { rd_kafka_topic_partition_list_destroy(topicList) }
        for topic in configuration.topics {
            rd_kafka_topic_partition_list_add(topicList, topic, RD_KAFKA_PARTITION_UA)
        }
        let subscribed = rd_kafka_subscribe(rk, topicList)
        if subscribed != RD_KAFKA_RESP_ERR_NO_ERROR {
            rd_kafka_destroy(rk)
            throw KafkaError(subscribed, operation: "subscribe", detail: configuration.topics.joined(separator: ","))
        }
        let handle = HandleBox(rk)
        let wakeUp = DispatchSemaphoreBox()
        self.shared = shared
        self.handle = handle
        self.context = context
        self.events = events
        self.wakeUp = wakeUp
        let batchSize = configuration.batchSize
        self.pollThread = PollThread(name: "kafka-consumer-poll") { _ in
            ConsumerPollLoop(handle: handle, shared: shared, context: context, wakeUp: wakeUp, batchSize: batchSize).run()
            eventSink.finish()
        }
    }

    deinit {
        shared.requestClose()
        wakeUp.signal()
    }

    /// The records, in order per partition. Iterate once; ending the iteration closes the consumer.
    public var records: KafkaConsumerRecords { KafkaConsumerRecords(consumer: self) }

    /// Marks `record` processed: its offset + 1 becomes the partition's next committed offset. Ignored
    /// when the partition was revoked since the record was read (its next owner reads it again).
    public func storeOffset(for record: KafkaConsumerRecord) {
        storeOffsets([record.topicPartition: (record.offset + 1, record.assignmentEpoch)])
    }

    /// Marks the last record of each partition in `records` processed.
    public func storeOffsets(for records: some Sequence<KafkaConsumerRecord>) {
        var next: [TopicPartition: (Int64, UInt64)] = [:]
        for record in records {
            let candidate = record.offset + 1
            if let existing = next[record.topicPartition], existing.0 >= candidate { continue }
            next[record.topicPartition] = (candidate, record.assignmentEpoch)
        }
        storeOffsets(next)
    }

    private func storeOffsets(_ offsets: [TopicPartition: (Int64, UInt64)]) {
        let admitted = shared.state.withLock { state -> [TopicPartition: Int64]? in
            guard !state.finished, !state.closeRequested else { return nil }
            let current = offsets.filter { state.assignment[$0.key] == $0.value.1 }.mapValues(\.0)
            if current.isEmpty { return nil }
            state.activeStoreCalls += 1
            return current
        }
        guard let admitted else { return }
        defer { shared.state.withLock { $0.activeStoreCalls -= 1 } }
        let list = PartitionList.make(admitted)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let err = rd_kafka_offsets_store(handle.pointer, list)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__STATE {
            context.logger.warning("storing offsets failed: \(KafkaError(err, operation: "store offsets"))")
        }
    }

    /// Commits stored offsets now (the periodic commit does this anyway).
    public func commit() async throws(KafkaError) {
        let result = await withCheckedContinuation { continuation in
            let accepted = shared.state.withLock { state -> Bool in
                guard !state.finished, !state.closeRequested else { return false }
                state.commands.append(.commit(continuation))
                return true
            }
            if accepted { wakeUp.signal() } else {
                continuation.resume(returning: .failure(KafkaError(code: .shutDown, message: "the consumer is closed", operation: "commit")))
            }
        }
        try result.get()
    }

    /// Stops fetching from the assigned partitions (backpressure); records already buffered still come.
    public func pause() { send(.pause) }

    /// Fetches again after `pause()`.
    public func resume() { send(.resume) }

    private func send(_ command: ConsumerShared.Command) {
        shared.state.withLock { $0.commands.append(command) }
        wakeUp.signal()
    }

    /// Commits stored offsets, leaves the group and releases librdkafka. Safe to call more than once.
    public func close() async {
        shared.requestClose()
        wakeUp.signal()
        await shared.waitUntilFinished()
        await pollThread.join()
    }

    func take() async throws(KafkaError) -> [KafkaConsumerRecord]? {
        let records = try await shared.take()
        wakeUp.signal()  // room in the buffer: the poll thread may fetch again
        return records
    }

    func iterationEnded() {
        shared.requestClose()
        wakeUp.signal()
    }
}

/// A semaphore the poll thread sleeps on while the hand-off buffer is full or nothing is to be done.
final class DispatchSemaphoreBox: @unchecked Sendable {
    // @unchecked: DispatchSemaphore is thread-safe.
    private let semaphore = DispatchSemaphore(value: 0)
    func signal() { semaphore.signal() }
    func wait(milliseconds: Int) { _ = semaphore.wait(timeout: .now() + .milliseconds(milliseconds)) }
}
