import Foundation
import Metrics

/// Turns librdkafka's periodic statistics JSON into metrics: producer queue depth, broker round-trip
/// time and consumer lag per partition (`statistics.interval.ms`).
final class KafkaStatisticsReporter: Sendable {
    private let clientID: String
    private let queuedMessages: Gauge
    private let queuedBytes: Gauge
    private let errors: Counter

    init(clientID: String) {
        self.clientID = clientID
        self.queuedMessages = Gauge(label: "kafka_client_queued_messages", dimensions: [("client", clientID)])
        self.queuedBytes = Gauge(label: "kafka_client_queued_bytes", dimensions: [("client", clientID)])
        self.errors = Counter(label: "kafka_client_errors_total", dimensions: [("client", clientID)])
    }

    func countError(_ error: KafkaError) {
        errors.increment()
    }

    func report(_ json: UnsafeRawBufferPointer) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any] else { return }
        if let count = object["msg_cnt"] as? Int { queuedMessages.record(count) }
        if let size = object["msg_size"] as? Int { queuedBytes.record(size) }
        if let brokers = object["brokers"] as? [String: Any] {
            for (name, value) in brokers {
                guard let broker = value as? [String: Any], let nodeID = broker["nodeid"] as? Int, nodeID >= 0,
                      let rtt = broker["rtt"] as? [String: Any], let average = rtt["avg"] as? Double
                else { continue }
                _ = name
                Gauge(label: "kafka_broker_rtt_seconds", dimensions: [("client", clientID), ("broker", String(nodeID))])
                    .record(average / 1_000_000)
            }
        }
        if let topics = object["topics"] as? [String: Any] {
            for (topic, value) in topics {
                guard let partitions = (value as? [String: Any])?["partitions"] as? [String: Any] else { continue }
                for (partition, partitionValue) in partitions {
                    guard partition != "-1", let stats = partitionValue as? [String: Any],
                          let lag = stats["consumer_lag"] as? Int, lag >= 0
                    else { continue }
                    Gauge(
                        label: "kafka_consumer_lag_messages",
                        dimensions: [("client", clientID), ("topic", topic), ("partition", partition)]
                    ).record(lag)
                }
            }
        }
    }
}
