import CRdKafka
import Logging

/// librdkafka's built-in mock cluster (`rdkafka_mock.h`): brokers that speak the Kafka protocol on
/// localhost, for development and tests. The only file that touches the mock API, which librdkafka
/// marks experimental and not ABI-stable.
///
/// Limits in librdkafka 2.0.2: no CreateTopics (topics are created here); each partition keeps about
/// 5 MiB or 100,000 batches; a new group's first join waits about 3 s.
public final class MockKafkaCluster: Sendable {
    private let host: PolledClient
    private let cluster: ClusterBox
    /// Comma-separated `host:port` of the brokers, for `bootstrap.servers`.
    public let bootstrapServers: String
    public let brokerCount: Int

    private struct ClusterBox: @unchecked Sendable { let pointer: OpaquePointer }

    public init(brokers: Int, logger: Logger) throws(KafkaError) {
        let host = try PolledClient(
            properties: ["log_level": "3", "log.queue": "true"], logger: logger, clientID: "mock-cluster-host",
            operation: "create mock cluster host"
        )
        guard let cluster = rd_kafka_mock_cluster_new(host.handle.pointer, Int32(brokers)) else {
            throw KafkaError(code: .state, message: "rd_kafka_mock_cluster_new failed", operation: "start mock cluster")
        }
        self.host = host
        self.cluster = ClusterBox(pointer: cluster)
        self.bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
        self.brokerCount = brokers
    }

    public func createTopic(_ name: String, partitions: Int32, replicationFactor: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_topic_create(cluster.pointer, name, partitions, replicationFactor), "create topic \(name)")
    }

    /// Takes broker `id` (1-based) down: its connections close and it refuses new ones.
    public func setBrokerDown(_ id: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_broker_set_down(cluster.pointer, id), "broker \(id) down")
    }

    public func setBrokerUp(_ id: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_broker_set_up(cluster.pointer, id), "broker \(id) up")
    }

    /// Adds latency to every response of broker `id`.
    public func setRoundTripTime(broker id: Int32, milliseconds: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_broker_set_rtt(cluster.pointer, id, milliseconds), "broker \(id) rtt")
    }

    /// Makes the next requests of `apiKey` (0 Produce, 1 Fetch, 3 Metadata, 8 OffsetCommit, …) fail
    /// with `errors`, one error per request, in order.
    public func pushRequestErrors(apiKey: Int16, errors: [KafkaError.Code]) {
        var raw = errors.map { rd_kafka_resp_err_t(rawValue: $0.rawValue) }
        raw.withUnsafeMutableBufferPointer { buffer in
            rd_kafka_mock_push_request_errors_array(cluster.pointer, apiKey, buffer.count, buffer.baseAddress)
        }
    }

    /// Moves partition leadership.
    public func setPartitionLeader(topic: String, partition: Int32, broker: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_partition_set_leader(cluster.pointer, topic, partition, broker), "set leader")
    }

    /// Destroys the cluster; every client connected to it loses its brokers.
    public func shutdown() async {
        let cluster = self.cluster
        await host.shutdown { rd_kafka_mock_cluster_destroy(cluster.pointer) }
    }

    private func check(_ err: rd_kafka_resp_err_t, _ operation: String) throws(KafkaError) {
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(err, operation: operation) }
    }
}
