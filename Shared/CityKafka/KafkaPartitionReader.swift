import CRdKafka
import Logging

/// Where a ``KafkaPartitionReader`` starts reading a partition.
public enum KafkaStartOffset: Sendable, Hashable {
    /// The first record the partition still holds.
    case beginning
    /// After the last record: only records written from now on.
    case end
    /// This offset.
    case offset(Int64)

    var rawValue: Int64 {
        switch self {
        case .beginning: return Int64(RD_KAFKA_OFFSET_BEGINNING)
        case .end: return Int64(RD_KAFKA_OFFSET_END)
        case .offset(let offset): return offset
        }
    }
}

/// Reads chosen partitions from chosen offsets without joining a consumer group (librdkafka's
/// `assign`), for tools that inspect, replay or redrive a topic: nothing is committed, and no group
/// member is disturbed.
///
/// Call ``poll(maxRecords:timeout:)`` from one task at a time; each call blocks on a short-lived thread
/// of its own, never on the cooperative pool. ``close()`` releases librdkafka.
public final class KafkaPartitionReader: Sendable {
    private let handle: HandleBox
    private let queue: HandleBox  // the consumer queue
    private let context: ClientContext

    public init(configuration: KafkaClientConfiguration, logger: Logger, startingAt start: [TopicPartition: KafkaStartOffset]) throws(KafkaError) {
        guard !start.isEmpty else {
            throw KafkaError(code: .invalidArgument, message: "a reader needs at least one partition", operation: "assign")
        }
        var properties = configuration.baseProperties.merging(configuration.properties) { _, new in new }
        properties["group.id"] = properties["group.id"] ?? "citydata-partition-reader"
        properties["enable.auto.commit"] = "false"
        properties["enable.auto.offset.store"] = "false"
        properties["enable.partition.eof"] = "false"
        properties["auto.offset.reset"] = "earliest"
        properties.removeValue(forKey: "statistics.interval.ms")
        let context = ClientContext(logger: logger, clientID: configuration.clientID)
        let conf = try RdKafkaConf.make(properties)
        context.install(on: conf)
        let rk = try RdKafkaConf.newClient(type: RD_KAFKA_CONSUMER, conf: conf, operation: "create partition reader")
        ClientContext.routeLogs(of: rk)
        rd_kafka_poll_set_consumer(rk)
        let list = PartitionList.make(start.mapValues(\.rawValue))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let assigned = rd_kafka_assign(rk, list)
        if assigned != RD_KAFKA_RESP_ERR_NO_ERROR {
            rd_kafka_destroy(rk)
            throw KafkaError(assigned, operation: "assign", detail: start.keys.map(\.description).sorted().joined(separator: ","))
        }
        self.handle = HandleBox(rk)
        self.queue = HandleBox(rd_kafka_queue_get_consumer(rk)!)
        self.context = context
    }

    /// Up to `maxRecords` records, waiting at most `timeout` for the first; empty when none arrived.
    /// Consume errors (e.g. an offset out of range) are logged; a fatal client error is thrown.
    public func poll(maxRecords: Int = 500, timeout: Duration = .milliseconds(500)) async throws(KafkaError) -> [KafkaConsumerRecord] {
        let queue = self.queue
        let context = self.context
        let handle = self.handle
        let timeoutMs = Int32(clamping: timeout.milliseconds)
        let capacity = max(1, maxRecords)
        let outcome: Result<[KafkaConsumerRecord], KafkaError> = await runOnDedicatedThread(name: "kafka-partition-reader") {
            let messages = UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>.allocate(capacity: capacity)
            defer { messages.deallocate() }
            let count = rd_kafka_consume_batch_queue(queue.pointer, Int32(timeoutMs), messages, capacity)
            var records: [KafkaConsumerRecord] = []
            for index in 0..<max(0, count) {
                guard let message = messages[index] else { continue }
                defer { rd_kafka_message_destroy(message) }
                if message.pointee.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                    let error = KafkaError(message.pointee.err, operation: "read")
                    context.logger.warning("\(error)")
                    continue
                }
                records.append(KafkaConsumerRecord(copying: message, topic: String(cString: rd_kafka_topic_name(message.pointee.rkt)), epoch: 0))
            }
            var buffer = [CChar](repeating: 0, count: 512)
            let fatal = rd_kafka_fatal_error(handle.pointer, &buffer, buffer.count)
            if fatal != RD_KAFKA_RESP_ERR_NO_ERROR {
                return .failure(KafkaError(fatal, operation: "read", detail: cString(buffer)))
            }
            return .success(records)
        }
        return try outcome.get()
    }

    /// Releases librdkafka. Call once, after the last `poll`.
    public func close() async {
        let handle = self.handle
        let queue = self.queue
        let context = self.context
        await runOnDedicatedThread(name: "kafka-partition-reader-close") {
            rd_kafka_queue_destroy(queue.pointer)
            _ = rd_kafka_consumer_close(handle.pointer)
            rd_kafka_destroy(handle.pointer)
            _ = context  // the callbacks' target outlives the handle
        }
    }
}
