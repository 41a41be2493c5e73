import Foundation

/// An instant with the UTC offset it was written with, as RFC 3339 requires.
///
/// Every timestamp in every CityData event is one of these. It keeps nanosecond precision and the
/// original offset (Hanoi data carries `+07:00`, which matters for local-day aggregation), encodes as
/// an RFC 3339 string with an explicit offset, and decodes any valid RFC 3339 date-time with an offset
/// (`Z` or `±hh:mm`), with or without fractional seconds. A date-time without an offset is refused:
/// its instant would be ambiguous.
///
/// Two timestamps are `==` when instant *and* offset are equal; use ``isSameInstant(as:)`` or the
/// `Comparable` ordering (by instant) to compare instants only.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    public var secondsSinceEpoch: Int64
    /// Nanoseconds within the second, 0 ..< 1_000_000_000.
    public var nanoseconds: Int32
    /// The offset from UTC the timestamp is written with, in minutes (+420 for `+07:00`).
    public var utcOffsetMinutes: Int16

    /// Creates a timestamp from its parts; `nanoseconds` must be in 0 ..< 1_000_000_000 and the offset
    /// within ±23:59 (values outside are clamped into range).
    public init(secondsSinceEpoch: Int64, nanoseconds: Int32 = 0, utcOffsetMinutes: Int16 = 0) {
        var seconds = secondsSinceEpoch
        var nanos = Int64(nanoseconds)
        seconds += nanos / 1_000_000_000
        nanos %= 1_000_000_000
        if nanos < 0 {
            nanos += 1_000_000_000
            seconds -= 1
        }
        self.secondsSinceEpoch = seconds
        self.nanoseconds = Int32(nanos)
        self.utcOffsetMinutes = max(-1439, min(1439, utcOffsetMinutes))
    }

    /// Creates a timestamp for a `Date`, written with the given offset (UTC by default).
    /// Precision is that of `Date` (about a microsecond for present-day dates).
    public init(_ date: Date, utcOffsetMinutes: Int16 = 0) {
        let interval = date.timeIntervalSince1970
        let seconds = interval.rounded(.down)
        let nanos = ((interval - seconds) * 1_000_000_000).rounded()
        self.init(
            secondsSinceEpoch: Int64(seconds),
            nanoseconds: Int32(min(nanos, 999_999_999)),
            utcOffsetMinutes: utcOffsetMinutes
        )
    }

    /// The current time, in UTC.
    public static func now() -> Timestamp { Timestamp(Date()) }

    /// Parses an RFC 3339 date-time with offset; `nil` when the text is not one.
    /// Use ``parse(_:)`` for a reason.
    public init?(rfc3339 text: String) {
        guard case .success(let value) = RFC3339.parse(text) else { return nil }
        self = value
    }

    /// Parses an RFC 3339 date-time with offset, or says precisely why the text is not one.
    public static func parse(_ text: String) -> Result<Timestamp, TimestampFormatError> {
        RFC3339.parse(text)
    }

    /// The instant as a Foundation `Date` (sub-microsecond precision may be lost).
    public var date: Date {
        Date(timeIntervalSince1970: Double(secondsSinceEpoch) + Double(nanoseconds) / 1_000_000_000)
    }

    /// The RFC 3339 text: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±hh:mm)`; the fraction has as many digits
    /// as needed (none for whole seconds), and `Z` stands for a zero offset.
    public var rfc3339: String { RFC3339.format(self) }

    /// The RFC 3339 text as UTF-8 bytes.
    public var rfc3339Bytes: [UInt8] { RFC3339.bytes(self) }

    /// Parses RFC 3339 UTF-8 bytes (e.g. a Kafka header value) without creating a `String`.
    public static func parse(utf8 bytes: [UInt8]) -> Result<Timestamp, TimestampFormatError> {
        let result = bytes.withUnsafeBufferPointer { RFC3339.parseBytes($0) }
        return result.mapError { TimestampFormatError(text: String(decoding: bytes, as: UTF8.self), reason: $0.reason) }
    }

    /// Parses RFC 3339 UTF-8 bytes where they lie (e.g. inside a request body); `nil` when they are
    /// not a timestamp — ``parse(_:)`` of the same text says why. The same instant and offset as
    /// ``parse(_:)``.
    public static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        guard case .success(let value) = RFC3339.parseBytes(bytes) else { return nil }
        return value
    }

    /// The same instant written with another offset.
    public func withOffset(minutes: Int16) -> Timestamp {
        Timestamp(secondsSinceEpoch: secondsSinceEpoch, nanoseconds: nanoseconds, utcOffsetMinutes: minutes)
    }

    /// The same instant written in UTC.
    public var utc: Timestamp { withOffset(minutes: 0) }

    /// Whether both denote the same instant, whatever their offsets.
    public func isSameInstant(as other: Timestamp) -> Bool {
        secondsSinceEpoch == other.secondsSinceEpoch && nanoseconds == other.nanoseconds
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        (lhs.secondsSinceEpoch, lhs.nanoseconds) < (rhs.secondsSinceEpoch, rhs.nanoseconds)
    }

    public var description: String { rfc3339 }
}

extension Timestamp: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        switch RFC3339.parse(text) {
        case .success(let value):
            self = value
        case .failure(let error):
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.description)
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rfc3339)
    }
}

/// Why a text is not an RFC 3339 date-time with offset.
public struct TimestampFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The refused text.
    public var text: String
    /// What is wrong with it.
    public var reason: String

    public var description: String {
        "\"\(text.prefix(64))\" is not an RFC 3339 date-time with offset: \(reason) (expected e.g. 2025-04-01T00:01:08+07:00)"
    }
}
