/// One Kafka record header: a name and raw bytes.
///
/// This module's own header type, so that it stays independent of any Kafka client library; the
/// runtime maps it to and from the client's header type. Kafka allows repeated names; order is kept.
public struct EventHeader: Sendable, Hashable {
    /// The header name, e.g. `ce_type`.
    public var name: String
    /// The header value bytes (UTF-8 text for every CloudEvents header).
    public var value: [UInt8]

    /// Creates a header from raw bytes.
    public init(name: String, value: [UInt8]) {
        self.name = name
        self.value = value
    }

    /// Creates a header whose value is the UTF-8 encoding of `text`.
    public init(name: String, text: String) {
        self.name = name
        self.value = UTF8Text.bytes(text)
    }

    /// The value as UTF-8 text, or `nil` when the bytes are not valid UTF-8.
    public var text: String? { UTF8Text.decode(value) }
}

extension Array where Element == EventHeader {
    /// The value of the last header with this name as UTF-8 text, if any and valid.
    public func text(for name: String) -> String? {
        last(where: { $0.name == name })?.text
    }
}
