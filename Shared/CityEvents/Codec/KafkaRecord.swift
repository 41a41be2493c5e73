/// A Kafka record as this module sees it: topic, key, headers and value, independent of any Kafka
/// client. A `nil` value is a tombstone.
public struct KafkaRecord: Sendable, Hashable {
    /// The topic to produce to (or the topic it was consumed from).
    public var topic: String
    /// The record key; `nil` for a keyless record.
    public var key: [UInt8]?
    /// The record headers, in order.
    public var headers: [EventHeader]
    /// The record value; `nil` is a tombstone.
    public var value: [UInt8]?

    /// Creates a record.
    public init(topic: String, key: [UInt8]?, headers: [EventHeader], value: [UInt8]?) {
        self.topic = topic
        self.key = key
        self.headers = headers
        self.value = value
    }

    /// The key as UTF-8 text, when there is one and it is valid UTF-8.
    public var keyText: String? { key.flatMap { UTF8Text.decode($0) } }

    /// Whether this record is a tombstone (null value).
    public var isTombstone: Bool { value == nil }
}
