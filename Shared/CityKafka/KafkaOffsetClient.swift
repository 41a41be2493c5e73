import CRdKafka
import Logging

/// Offset queries that need a consumer handle but no group membership: a group's committed offsets
/// (OffsetFetch) and the first offset at or after a time (ListOffsets by timestamp).
///
/// The handle never subscribes, so asking about a group neither joins it nor moves its offsets. Each
/// blocking librdkafka call runs on a short-lived thread of its own, never on the cooperative pool.
///
/// librdkafka 2.0.2's mock cluster answers a lookup by timestamp with "end of partition" (-1) whatever
/// the time: callers that must be right on the mock too filter records by timestamp themselves.
public final class KafkaOffsetClient: Sendable {
    private let handle: HandleBox
    private let context: ClientContext
    private let timeout: Duration

    /// A client for `groupID` (the group whose committed offsets `committedOffsets` reads).
    public init(configuration: KafkaClientConfiguration, groupID: String, logger: Logger, timeout: Duration = .seconds(10)) throws(KafkaError) {
        var properties = configuration.baseProperties.merging(configuration.properties) { _, new in new }
        properties["group.id"] = groupID
        properties["enable.auto.commit"] = "false"
        properties["log.queue"] = "false"  // nothing polls this handle: log from librdkafka's threads
        properties.removeValue(forKey: "statistics.interval.ms")
        let context = ClientContext(logger: logger, clientID: configuration.clientID)
        let conf = try RdKafkaConf.make(properties)
        context.install(on: conf)
        let rk = try RdKafkaConf.newClient(type: RD_KAFKA_CONSUMER, conf: conf, operation: "create offset client")
        self.handle = HandleBox(rk)
        self.context = context
        self.timeout = timeout
    }

    /// The group's committed offset (the next record it will read) per partition; `nil` where the
    /// group has committed nothing.
    public func committedOffsets(for partitions: [TopicPartition]) async throws(KafkaError) -> [TopicPartition: Int64?] {
        guard !partitions.isEmpty else { return [:] }
        let handle = self.handle
        let timeoutMs = Int32(clamping: timeout.milliseconds)
        let outcome: Result<[TopicPartition: Int64?], KafkaError> = await runOnDedicatedThread(name: "kafka-committed") {
            let list = PartitionList.make(Dictionary(partitions.map { ($0, Int64(RD_KAFKA_OFFSET_INVALID)) }) { first, _ in first })
            defer { rd_kafka_topic_partition_list_destroy(list) }
            let err = rd_kafka_committed(handle.pointer, list, timeoutMs)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { return .failure(KafkaError(err, operation: "committed offsets")) }
            var result: [TopicPartition: Int64?] = [:]
            for index in 0..<Int(list.pointee.cnt) {
                let element = list.pointee.elems[index]
                let partition = TopicPartition(topic: String(cString: element.topic), partition: element.partition)
                result[partition] = element.offset >= 0 ? element.offset : nil
            }
            return .success(result)
        }
        return try outcome.get()
    }

    /// Per partition, the earliest offset whose record timestamp is at or after `milliseconds` since
    /// the epoch; `nil` when the broker knows none (no such record — or, on the mock, always).
    public func offsets(atOrAfter milliseconds: Int64, for partitions: [TopicPartition]) async throws(KafkaError) -> [TopicPartition: Int64?] {
        guard !partitions.isEmpty else { return [:] }
        let handle = self.handle
        let timeoutMs = Int32(clamping: timeout.milliseconds)
        let outcome: Result<[TopicPartition: Int64?], KafkaError> = await runOnDedicatedThread(name: "kafka-offsets-for-times") {
            let list = PartitionList.make(Dictionary(partitions.map { ($0, milliseconds) }) { first, _ in first })
            defer { rd_kafka_topic_partition_list_destroy(list) }
            let err = rd_kafka_offsets_for_times(handle.pointer, list, timeoutMs)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { return .failure(KafkaError(err, operation: "offsets for times")) }
            var result: [TopicPartition: Int64?] = [:]
            for index in 0..<Int(list.pointee.cnt) {
                let element = list.pointee.elems[index]
                let partition = TopicPartition(topic: String(cString: element.topic), partition: element.partition)
                result[partition] = element.err == RD_KAFKA_RESP_ERR_NO_ERROR && element.offset >= 0 ? element.offset : nil
            }
            return .success(result)
        }
        return try outcome.get()
    }

    /// Releases librdkafka (the handle never joined a group, so there is nothing to leave).
    public func shutdown() async {
        let handle = self.handle
        let context = self.context
        await runOnDedicatedThread(name: "kafka-offset-client-close") {
            rd_kafka_destroy(handle.pointer)
            _ = context  // the callbacks' target outlives the handle
        }
    }
}
