import CRdKafka

/// Settings shared by producers, consumers and admin clients: where the cluster is and who we are.
///
/// `properties` passes any librdkafka property through unchanged (see librdkafka's CONFIGURATION.md);
/// the typed fields of the producer and consumer configurations set sensible defaults on top.
public struct KafkaClientConfiguration: Sendable {
    /// Comma-separated `host:port` list (`KAFKA_BOOTSTRAP_SERVERS`).
    public var bootstrapServers: String
    /// Appears in broker logs and metrics labels.
    public var clientID: String
    /// How often librdkafka emits statistics that become metrics; `nil` disables them.
    public var statisticsInterval: Duration?
    /// Extra librdkafka properties, applied last (they override the typed fields).
    public var properties: [String: String]

    public init(
        bootstrapServers: String,
        clientID: String = "citydata",
        statisticsInterval: Duration? = .seconds(15),
        properties: [String: String] = [:]
    ) {
        self.bootstrapServers = bootstrapServers
        self.clientID = clientID
        self.statisticsInterval = statisticsInterval
        self.properties = properties
    }

    var baseProperties: [String: String] {
        var p: [String: String] = [
            "bootstrap.servers": bootstrapServers,
            "client.id": clientID,
            "log.queue": "true",
        ]
        if let statisticsInterval {
            p["statistics.interval.ms"] = String(statisticsInterval.milliseconds)
        }
        return p
    }
}

/// How a producer sends: durable and idempotent by default (`acks=all`, `enable.idempotence=true`).
public struct KafkaProducerConfiguration: Sendable {
    public var client: KafkaClientConfiguration
    /// Idempotent production (no duplicates from librdkafka's internal retries, order kept per partition).
    public var idempotent: Bool = true
    /// `all`, `1` or `0`. Idempotence requires `all`.
    public var acks: String = "all"
    /// How long librdkafka may hold a record to batch it (`linger.ms`).
    public var linger: Duration = .milliseconds(5)
    /// Upper bound for a send: after this the awaiting caller gets `_MSG_TIMED_OUT` (`message.timeout.ms`).
    public var deliveryTimeout: Duration = .seconds(30)
    /// Local queue bound in records; when full, `send` waits for deliveries to free room.
    public var maxQueuedMessages: Int = 500_000
    /// Local queue bound in kilobytes; keeps producer memory bounded under any load.
    public var maxQueuedKilobytes: Int = 128 * 1024
    /// Compression codec (`none`, `lz4`, `zstd`, …).
    public var compression: String = "lz4"
    /// How long `shutdown` waits for outstanding records before giving up on them.
    public var flushTimeout: Duration = .seconds(10)
    /// Whether a send to an unknown topic may make the broker create it. Off: topics come from the
    /// registry, and a typo must fail (`UNKNOWN_TOPIC_OR_PART`) rather than create a stray topic.
    public var allowTopicAutoCreation: Bool = false

    public init(client: KafkaClientConfiguration) { self.client = client }

    var librdkafkaProperties: [String: String] {
        var p = client.baseProperties
        p["enable.idempotence"] = idempotent ? "true" : "false"
        p["acks"] = acks
        p["linger.ms"] = String(linger.milliseconds)
        p["message.timeout.ms"] = String(deliveryTimeout.milliseconds)
        p["queue.buffering.max.messages"] = String(maxQueuedMessages)
        p["queue.buffering.max.kbytes"] = String(maxQueuedKilobytes)
        p["compression.codec"] = compression
        p["allow.auto.create.topics"] = allowTopicAutoCreation ? "true" : "false"
        p.merge(client.properties) { _, new in new }
        return p
    }
}

/// How a consumer joins its group, where it starts, and who owns its offsets.
public struct KafkaConsumerConfiguration: Sendable {
    /// Where consumed offsets live.
    public enum OffsetStorage: Sendable {
        /// Offsets are stored by `storeOffset(for:)` after the handler succeeded and committed to Kafka
        /// every `commitInterval` and on rebalance and close: at-least-once delivery.
        case kafka(commitInterval: Duration)
        /// The application owns offsets (e.g. in the same Postgres transaction as its effect). On every
        /// assignment the consumer seeks to what `provider` returns. Stored offsets are still committed to
        /// Kafka so that lag stays visible, but Kafka's copy is never used to resume.
        case external(provider: any ExternalOffsetProvider, commitInterval: Duration)
    }

    /// Where to start when no offset is known: `earliest` or `latest`.
    public enum ResetPolicy: String, Sendable { case earliest, latest }

    public var client: KafkaClientConfiguration
    public var groupID: String
    public var topics: [String]
    public var offsetStorage: OffsetStorage = .kafka(commitInterval: .seconds(5))
    public var resetPolicy: ResetPolicy = .earliest
    /// `session.timeout.ms`: how quickly a dead member is detected.
    public var sessionTimeout: Duration = .seconds(10)
    /// `max.poll.interval.ms`: must exceed the slowest handler, or the member is thrown out of the group.
    public var maxPollInterval: Duration = .seconds(300)
    /// Records fetched ahead into librdkafka's queue (`queued.min.messages`).
    public var prefetchMessages: Int = 100_000
    /// Upper bound of librdkafka's prefetch queue (`queued.max.messages.kbytes`); bounds memory.
    public var prefetchKilobytes: Int = 64 * 1024
    /// Records handed from the poll thread to Swift per batch; also the bound of the hand-off buffer.
    public var batchSize: Int = 1_000
    /// `fetch.wait.max.ms`: how long a broker may hold a fetch that finds no new record. A real broker
    /// answers as soon as a record arrives, so on a busy topic this only bounds idle polling; a broker
    /// that holds the fetch for the whole wait (librdkafka's mock cluster does) adds up to this much
    /// to every hop. 100 ms instead of librdkafka's 500 ms keeps an event's path through several
    /// services under a second either way, for ten small requests a second per idle broker connection.
    public var fetchMaxWait: Duration = .milliseconds(100)

    public init(client: KafkaClientConfiguration, groupID: String, topics: [String]) {
        self.client = client
        self.groupID = groupID
        self.topics = topics
    }

    var commitInterval: Duration {
        switch offsetStorage {
        case .kafka(let interval), .external(_, let interval): return interval
        }
    }

    /// The first librdkafka release whose cooperative-sticky assignor survives a consumer closed
    /// between joining its group and receiving its first assignment (2.3.0, `rd_kafka_version()` form).
    public static let firstSafeCooperativeVersion = 0x0203_0000

    /// `partition.assignment.strategy` for the librdkafka the process runs with: `cooperative-sticky`
    /// (incremental rebalances) from 2.3.0 on; the eager `range,roundrobin` before it. Older releases
    /// abort the whole process — `rd_kafka_sticky_assignor_state_destroy: Assertion 'assignor_state'
    /// failed` — when a cooperative-sticky consumer is closed after its group's join and before its
    /// first assignment (confluentinc/librdkafka#4312, fixed by #4381): a service stopped while its
    /// group was rebalancing died by SIGABRT. Debian 12 ships 2.0.2.
    public static func assignmentStrategy(librdkafkaVersion version: Int) -> String {
        version >= firstSafeCooperativeVersion ? "cooperative-sticky" : "range,roundrobin"
    }

    var librdkafkaProperties: [String: String] {
        var p = client.baseProperties
        p["group.id"] = groupID
        p["partition.assignment.strategy"] = Self.assignmentStrategy(librdkafkaVersion: Int(rd_kafka_version()))
        p["enable.auto.commit"] = "true"
        p["auto.commit.interval.ms"] = String(commitInterval.milliseconds)
        p["enable.auto.offset.store"] = "false"
        p["auto.offset.reset"] = resetPolicy.rawValue
        p["session.timeout.ms"] = String(sessionTimeout.milliseconds)
        p["max.poll.interval.ms"] = String(maxPollInterval.milliseconds)
        p["queued.min.messages"] = String(prefetchMessages)
        p["queued.max.messages.kbytes"] = String(prefetchKilobytes)
        p["enable.partition.eof"] = "false"
        p["fetch.wait.max.ms"] = String(fetchMaxWait.milliseconds)
        p.merge(client.properties) { _, new in new }
        return p
    }
}

/// Supplies the next offset to read for partitions the consumer was just assigned, when offsets live
/// outside Kafka (see `KafkaConsumerConfiguration.OffsetStorage.external`).
public protocol ExternalOffsetProvider: Sendable {
    /// The next offset to consume for each partition, or no entry to fall back to the reset policy.
    func offsets(for partitions: [TopicPartition]) async throws -> [TopicPartition: Int64]
}

/// A topic and partition number.
public struct TopicPartition: Sendable, Hashable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public var description: String { "\(topic)[\(partition)]" }
}

extension Duration {
    /// Whole milliseconds, rounded down, as librdkafka's `*.ms` properties want them.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }
}
