import CRdKafka
import Logging

/// Topic administration and cluster inspection against a real Kafka cluster: create topics through
/// the admin API, read metadata (partitions, leaders, replicas, in-sync replicas) and watermarks.
///
/// librdkafka's 2.0.2 mock cluster does not implement CreateTopics; the dev cluster creates its
/// topics itself, and `createTopics` there fails with a typed error once its timeout has passed.
public final class KafkaAdmin: Sendable {
    private let client: PolledClient
    private let timeout: Duration

    public init(configuration: KafkaClientConfiguration, logger: Logger, timeout: Duration = .seconds(30)) throws(KafkaError) {
        var configuration = configuration
        configuration.statisticsInterval = nil
        self.client = try PolledClient(
            properties: configuration.baseProperties.merging(configuration.properties) { _, new in new },
            logger: logger, clientID: configuration.clientID, operation: "create admin client"
        )
        self.timeout = timeout
    }

    public func shutdown() async { await client.shutdown() }

    /// Creates topics; the result has one entry per topic (an existing topic reports
    /// `KafkaError.Code.topicAlreadyExists`).
    public func createTopics(_ topics: [NewTopic]) async throws(KafkaError) -> [String: Result<Void, KafkaError>] {
        let handle = client.handle
        let timeoutMs = Int32(clamping: timeout.milliseconds)
        let outcome: Result<[String: Result<Void, KafkaError>], KafkaError> = await runOnDedicatedThread(name: "kafka-admin") {
            var errorBuffer = [CChar](repeating: 0, count: 512)
            var newTopics: [OpaquePointer?] = []
            defer { for topic in newTopics { rd_kafka_NewTopic_destroy(topic) } }
            for topic in topics {
                guard let newTopic = rd_kafka_NewTopic_new(topic.name, topic.partitions, topic.replicationFactor, &errorBuffer, errorBuffer.count) else {
                    return .failure(KafkaError(code: .invalidArgument, message: "topic \(topic.name): \(cString(errorBuffer))", operation: "create topics"))
                }
                newTopics.append(newTopic)
                for (key, value) in topic.config.sorted(by: { $0.key < $1.key }) {
                    let err = rd_kafka_NewTopic_set_config(newTopic, key, value)
                    if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                        return .failure(KafkaError(err, operation: "create topics", detail: "\(topic.name) \(key)=\(value)"))
                    }
                }
            }
            let queue = rd_kafka_queue_new(handle.pointer)
            defer { rd_kafka_queue_destroy(queue) }
            let options = rd_kafka_AdminOptions_new(handle.pointer, RD_KAFKA_ADMIN_OP_CREATETOPICS)
            defer { rd_kafka_AdminOptions_destroy(options) }
            _ = rd_kafka_AdminOptions_set_operation_timeout(options, timeoutMs, &errorBuffer, errorBuffer.count)
            _ = rd_kafka_AdminOptions_set_request_timeout(options, timeoutMs, &errorBuffer, errorBuffer.count)
            newTopics.withUnsafeMutableBufferPointer { buffer in
                rd_kafka_CreateTopics(handle.pointer, buffer.baseAddress, buffer.count, options, queue)
            }
            guard let event = rd_kafka_queue_poll(queue, timeoutMs + 5_000) else {
                return .failure(KafkaError(code: .timedOut, message: "no answer to CreateTopics", operation: "create topics", isRetriable: true))
            }
            defer { rd_kafka_event_destroy(event) }
            if rd_kafka_event_error(event) != RD_KAFKA_RESP_ERR_NO_ERROR {
                let detail = rd_kafka_event_error_string(event).map { String(cString: $0) }
                return .failure(KafkaError(rd_kafka_event_error(event), operation: "create topics", detail: detail))
            }
            guard let result = rd_kafka_event_CreateTopics_result(event) else {
                return .failure(KafkaError(code: .state, message: "unexpected admin event", operation: "create topics"))
            }
            var count = 0
            let results = rd_kafka_CreateTopics_result_topics(result, &count)
            var outcome: [String: Result<Void, KafkaError>] = [:]
            for index in 0..<count {
                guard let topicResult = results?[index] else { continue }
                let name = String(cString: rd_kafka_topic_result_name(topicResult))
                let err = rd_kafka_topic_result_error(topicResult)
                if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                    outcome[name] = .success(())
                } else {
                    let detail = rd_kafka_topic_result_error_string(topicResult).map { String(cString: $0) }
                    outcome[name] = .failure(KafkaError(err, operation: "create topic \(name)", detail: detail))
                }
            }
            return .success(outcome)
        }
        return try outcome.get()
    }

    /// The brokers and topics the cluster reports.
    public func metadata() async throws(KafkaError) -> ClusterMetadata {
        let handle = client.handle
        let timeoutMs = Int32(clamping: timeout.milliseconds)
        let outcome: Result<ClusterMetadata, KafkaError> = await runOnDedicatedThread(name: "kafka-metadata") {
            var metadata: UnsafePointer<rd_kafka_metadata>?
            let err = rd_kafka_metadata(handle.pointer, 1, nil, &metadata, timeoutMs)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
                return .failure(KafkaError(err, operation: "metadata"))
            }
            defer { rd_kafka_metadata_destroy(metadata) }
            return .success(ClusterMetadata(metadata.pointee))
        }
        return try outcome.get()
    }

    /// The low (first available) and high (next to be written) offsets of a partition.
    public func watermarks(topic: String, partition: Int32) async throws(KafkaError) -> (low: Int64, high: Int64) {
        let handle = client.handle
        let timeoutMs = Int32(clamping: timeout.milliseconds)
        let outcome: Result<(low: Int64, high: Int64), KafkaError> = await runOnDedicatedThread(name: "kafka-watermarks") {
            var low: Int64 = -1
            var high: Int64 = -1
            let err = rd_kafka_query_watermark_offsets(handle.pointer, topic, partition, &low, &high, timeoutMs)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                return .failure(KafkaError(err, operation: "watermarks", detail: "\(topic)[\(partition)]"))
            }
            return .success((low, high))
        }
        return try outcome.get()
    }
}

/// A topic to create: name, partitions, replication factor and topic-level configuration.
public struct NewTopic: Sendable, Hashable {
    public var name: String
    public var partitions: Int32
    public var replicationFactor: Int32
    public var config: [String: String]

    public init(name: String, partitions: Int32, replicationFactor: Int32, config: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.config = config
    }
}

/// What the cluster says about itself: brokers, and per topic its partitions with leader, replicas
/// and in-sync replicas.
public struct ClusterMetadata: Sendable {
    public struct Broker: Sendable, Hashable {
        public var id: Int32
        public var host: String
        public var port: Int
    }

    public struct Partition: Sendable, Hashable {
        public var id: Int32
        public var leader: Int32
        public var replicas: [Int32]
        public var inSyncReplicas: [Int32]
        public var error: KafkaError.Code?
    }

    public struct Topic: Sendable {
        public var name: String
        public var partitions: [Partition]
        public var error: KafkaError.Code?
    }

    public var brokers: [Broker]
    public var topics: [Topic]

    init(_ raw: rd_kafka_metadata) {
        brokers = (0..<Int(raw.broker_cnt)).map { index in
            let broker = raw.brokers[index]
            return Broker(id: broker.id, host: String(cString: broker.host), port: Int(broker.port))
        }
        topics = (0..<Int(raw.topic_cnt)).map { index in
            let topic = raw.topics[index]
            let partitions = (0..<Int(topic.partition_cnt)).map { partitionIndex in
                let partition = topic.partitions[partitionIndex]
                return Partition(
                    id: partition.id,
                    leader: partition.leader,
                    replicas: Array(UnsafeBufferPointer(start: partition.replicas, count: Int(partition.replica_cnt))),
                    inSyncReplicas: Array(UnsafeBufferPointer(start: partition.isrs, count: Int(partition.isr_cnt))),
                    error: partition.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaError.Code(partition.err)
                )
            }
            return Topic(
                name: String(cString: topic.topic), partitions: partitions,
                error: topic.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaError.Code(topic.err)
            )
        }
    }

    public func topic(named name: String) -> Topic? { topics.first { $0.name == name } }
}
