/// Why a Kafka record or a structured CloudEvent could not be decoded.
///
/// Decoding never traps: every malformed input ends here. ``description`` is one line that names the
/// header, attribute or field and what was wrong, fit to be stored in a ``DeadLetterRecord``.
public enum EventDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A required Kafka header is absent.
    case missingHeader(name: String)
    /// A Kafka header is present but unusable (not UTF-8, empty, wrong format, repeated…).
    case malformedHeader(name: String, reason: String)
    /// A required attribute of a structured-mode event is absent.
    case missingAttribute(name: String)
    /// An attribute of a structured-mode event is present but unusable.
    case malformedAttribute(name: String, reason: String)
    /// The event's `specversion` is not `1.0`.
    case unsupportedSpecVersion(String)
    /// The data is not JSON (`content-type`/`datacontenttype` is something else).
    case unsupportedContentType(String)
    /// The Kafka key is absent or not UTF-8 where an entity id is needed (tombstones).
    case malformedKey(reason: String)
    /// The event type is not one this module knows.
    case unknownEventType(String)
    /// The event type is known but not the one the caller asked for.
    case unexpectedEventType(expected: String, actual: String)
    /// The Kafka value is null (or data is absent) where an event of this type needs data.
    case missingData(eventType: String)
    /// The bytes are not valid JSON (or not UTF-8).
    case invalidJSON(reason: String)
    /// A required field is absent; `path` is like `measurements[2].unit`.
    case missingField(path: String)
    /// A required field is `null`.
    case nullField(path: String)
    /// A field has the wrong JSON type.
    case wrongFieldType(path: String, expected: String)
    /// A field has the right JSON type but an unacceptable value (bad timestamp, unknown enum value…).
    case invalidFieldValue(path: String, reason: String)

    public var description: String {
        let text: String
        switch self {
        case .missingHeader(let name):
            text = "missing Kafka header '\(name)'"
        case .malformedHeader(let name, let reason):
            text = "malformed Kafka header '\(name)': \(reason)"
        case .missingAttribute(let name):
            text = "missing CloudEvents attribute '\(name)'"
        case .malformedAttribute(let name, let reason):
            text = "malformed CloudEvents attribute '\(name)': \(reason)"
        case .unsupportedSpecVersion(let version):
            text = "unsupported CloudEvents specversion '\(version)' (only 1.0 is accepted)"
        case .unsupportedContentType(let type):
            text = "unsupported data content type '\(type)' (expected application/json)"
        case .malformedKey(let reason):
            text = "malformed Kafka key: \(reason)"
        case .unknownEventType(let type):
            text = "unknown event type '\(type)'"
        case .unexpectedEventType(let expected, let actual):
            text = "event type '\(actual)' where '\(expected)' was expected"
        case .missingData(let type):
            text = "event of type '\(type)' has no data (null Kafka value)"
        case .invalidJSON(let reason):
            text = "data is not valid JSON: \(reason)"
        case .missingField(let path):
            text = "required field '\(path)' is missing"
        case .nullField(let path):
            text = "required field '\(path)' is null"
        case .wrongFieldType(let path, let expected):
            text = "field '\(path)' has the wrong type (expected \(expected))"
        case .invalidFieldValue(let path, let reason):
            text = "field '\(path)' has an invalid value: \(reason)"
        }
        return SingleLine.make(text)
    }
}

/// Folds any text to one printable line (dead-letter records and logs are line-oriented).
enum SingleLine {
    static func make(_ text: String, limit: Int = 500) -> String {
        var result = ""
        result.reserveCapacity(min(text.utf8.count, limit))
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit {
                result += "…"
                break
            }
            if scalar.properties.generalCategory == .control || scalar == "\u{2028}" || scalar == "\u{2029}" {
                result.unicodeScalars.append(" ")
            } else {
                result.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return result
    }
}
