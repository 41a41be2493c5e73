/// `vn.citydata.deadletter.recorded.v1` on `<original topic>.dlq`, keyed like the original record:
/// a message a consumer could not process, kept with everything needed to inspect and redrive it.
public struct DeadLetterRecord: EventPayload, Hashable {
    public static let eventType = EventType.deadLetter
    /// Dead letters have no single home topic; see ``destinationTopic``. This is the observations' one.
    public static let topic = TopicName.deadLetter(of: TopicName.observations)

    /// The topic the record was consumed from.
    public var originalTopic: String
    /// Its partition.
    public var partition: Int
    /// Its offset.
    public var offset: Int64
    /// Its key, if any.
    public var key: ByteString?
    /// Its headers, in order.
    public var headers: [DeadLetterHeader]
    /// Its value (`nil` for a null value).
    public var value: ByteString?
    /// Why it could not be processed (e.g. an ``EventDecodingError`` description).
    public var error: String
    /// The consumer group that gave up.
    public var consumerGroup: String
    /// When it gave up.
    public var failedAt: Timestamp
    /// How many times processing was tried.
    public var attempts: Int

    /// Creates a dead-letter record.
    public init(
        originalTopic: String, partition: Int, offset: Int64, key: ByteString?, headers: [DeadLetterHeader],
        value: ByteString?, error: String, consumerGroup: String, failedAt: Timestamp, attempts: Int
    ) {
        self.originalTopic = originalTopic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.headers = headers
        self.value = value
        self.error = error
        self.consumerGroup = consumerGroup
        self.failedAt = failedAt
        self.attempts = attempts
    }

    /// Captures a consumed record that failed: bytes kept as text when UTF-8, else base64.
    public init(
        failed record: KafkaRecord, partition: Int, offset: Int64, error: String, consumerGroup: String,
        failedAt: Timestamp = .now(), attempts: Int
    ) {
        self.init(
            originalTopic: record.topic, partition: partition, offset: offset, key: record.key.map(ByteString.init),
            headers: record.headers.map { DeadLetterHeader(name: $0.name, value: ByteString($0.value)) },
            value: record.value.map(ByteString.init), error: error, consumerGroup: consumerGroup,
            failedAt: failedAt, attempts: attempts
        )
    }

    public var destinationTopic: String { TopicName.deadLetter(of: originalTopic) }
    public var partitionKey: [UInt8]? { key?.bytes }
    public var defaultSubject: String? { originalTopic }

    /// The original record, for redrive; `nil` when a base64 field is corrupt.
    public var originalRecord: KafkaRecord? {
        var headerList: [EventHeader] = []
        for header in headers {
            guard let bytes = header.value.bytes else { return nil }
            headerList.append(EventHeader(name: header.name, value: bytes))
        }
        var keyBytes: [UInt8]?
        if let key {
            guard let bytes = key.bytes else { return nil }
            keyBytes = bytes
        }
        var valueBytes: [UInt8]?
        if let value {
            guard let bytes = value.bytes else { return nil }
            valueBytes = bytes
        }
        return KafkaRecord(topic: originalTopic, key: keyBytes, headers: headerList, value: valueBytes)
    }
}

/// One header of a dead-lettered record.
public struct DeadLetterHeader: Codable, Sendable, Hashable {
    /// Header name.
    public var name: String
    /// Header value.
    public var value: ByteString

    /// Creates a header.
    public init(name: String, value: ByteString) {
        self.name = name
        self.value = value
    }
}
