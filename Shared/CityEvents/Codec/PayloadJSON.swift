import Foundation

/// The reference JSON coding of payloads through `Codable`, and the translation of Foundation's
/// coding errors into ``EventEncodingError`` and ``EventDecodingError``.
///
/// Output: UTF-8, keys sorted, slashes unescaped, optional fields omitted when nil, numbers in
/// shortest round-trip form. Fast paths must produce the same bytes; the tests compare them.
public enum PayloadJSON {
    /// Encodes any `Encodable` value the way event payloads are encoded.
    public static func encode<Value: Encodable>(_ value: Value) throws(EventEncodingError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(value))
        } catch let error as EncodingError {
            throw translate(error)
        } catch {
            throw .encoderFailed(reason: String(describing: error))
        }
    }

    /// Decodes any `Decodable` value the way event payloads are decoded; unknown fields are ignored.
    public static func decode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8]) throws(EventDecodingError) -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch let error as DecodingError {
            throw translate(error)
        } catch {
            throw .invalidJSON(reason: String(describing: error))
        }
    }

    static func translate(_ error: EncodingError) -> EventEncodingError {
        switch error {
        case .invalidValue(let value, let context):
            let path = CodingPathText.make(context.codingPath)
            if let number = value as? Double, !number.isFinite { return .nonFiniteNumber(path: path) }
            if let number = value as? Float, !number.isFinite { return .nonFiniteNumber(path: path) }
            return .encoderFailed(reason: "'\(path)': \(context.debugDescription)")
        @unknown default:
            return .encoderFailed(reason: String(describing: error))
        }
    }

    static func translate(_ error: DecodingError) -> EventDecodingError {
        switch error {
        case .keyNotFound(let key, let context):
            return .missingField(path: CodingPathText.make(context.codingPath + [key]))
        case .valueNotFound(_, let context):
            return .nullField(path: CodingPathText.make(context.codingPath))
        case .typeMismatch(let type, let context):
            let path = CodingPathText.make(context.codingPath)
            return .wrongFieldType(path: path.isEmpty ? "(root)" : path, expected: JSONTypeName.of(type))
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                var reason = context.debugDescription
                if let underlying = context.underlyingError {
                    reason += " (\(String(describing: underlying)))"
                }
                return .invalidJSON(reason: reason)
            }
            return .invalidFieldValue(path: CodingPathText.make(context.codingPath), reason: context.debugDescription)
        @unknown default:
            return .invalidJSON(reason: String(describing: error))
        }
    }
}

/// Renders a coding path as `measurements[2].value`.
enum CodingPathText {
    static func make(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == String(index) {
                text += "[\(index)]"
            } else {
                if !text.isEmpty { text += "." }
                text += key.stringValue
            }
        }
        return text
    }
}

/// The JSON type name a Swift type decodes from, for error messages.
enum JSONTypeName {
    static func of(_ type: Any.Type) -> String {
        switch type {
        case is String.Type, is Substring.Type, is Timestamp.Type: return "string"
        case is Bool.Type: return "boolean"
        case is Double.Type, is Float.Type: return "number"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type, is UInt64.Type, is UInt32.Type: return "integer"
        case is [Any].Type: return "array"
        case is [String: Any].Type: return "object"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array<") { return "array" }
            if name.hasPrefix("Dictionary<") { return "object" }
            return name
        }
    }
}
