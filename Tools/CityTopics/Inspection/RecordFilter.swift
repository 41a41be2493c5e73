import ArgumentParser
import CityEvents

/// `--filter EXPR`: `FIELD=VALUE` (equal), `FIELD!=VALUE` (not equal) or `FIELD~TEXT` (contains).
///
/// Fields: `key`, `type`, `id`, `source`, `subject`, `partition`, `offset`, `error` (the decode error
/// of a record that is not a valid event), `header.NAME`, `data.PATH` (dots between object keys,
/// numbers for array elements, e.g. `data.measurements.0.quantity`). Several filters must all hold.
struct RecordFilter: Sendable {
    enum Operation: Sendable { case equal, notEqual, contains }

    var field: String
    var operation: Operation
    var value: String

    /// Parses an expression; the first operator wins, so values may contain `=`.
    static func parse(_ text: String) throws -> RecordFilter {
        var index = text.startIndex
        while index < text.endIndex {
            let rest = text[index...]
            let (operation, length): (Operation?, Int) =
                rest.hasPrefix("!=") ? (.notEqual, 2) : rest.hasPrefix("=") ? (.equal, 1) : rest.hasPrefix("~") ? (.contains, 1) : (nil, 0)
            if let operation {
                let field = String(text[..<index])
                guard RecordFilter.isKnownField(field) else {
                    throw ValidationError("--filter: unknown field '\(field)' (key, type, id, source, subject, partition, offset, error, header.NAME, data.PATH)")
                }
                return RecordFilter(field: field, operation: operation, value: String(text[text.index(index, offsetBy: length)...]))
            }
            index = text.index(after: index)
        }
        throw ValidationError("--filter: expected FIELD=VALUE, FIELD!=VALUE or FIELD~TEXT, got '\(text)'")
    }

    init(field: String, operation: Operation, value: String) {
        self.field = field
        self.operation = operation
        self.value = value
    }

    private static let plainFields: Set<String> = ["key", "type", "id", "source", "subject", "partition", "offset", "error"]

    static func isKnownField(_ field: String) -> Bool {
        plainFields.contains(field) || (field.hasPrefix("header.") && field.count > 7) || (field.hasPrefix("data.") && field.count > 5)
    }

    /// Whether the record passes; a missing field is unequal to any value and contains nothing.
    func matches(_ record: InspectedRecord) -> Bool {
        let actual = Self.fieldValue(field, of: record)
        switch operation {
        case .equal: return actual == value
        case .notEqual: return actual != value
        case .contains: return actual?.contains(value) ?? false
        }
    }

    static func fieldValue(_ field: String, of record: InspectedRecord) -> String? {
        switch field {
        case "key": return record.key?.display
        case "type": return record.event?.type
        case "id": return record.event?.id
        case "source": return record.event?.source
        case "subject": return record.event?.subject
        case "partition": return String(record.partition)
        case "offset": return String(record.offset)
        case "error": return record.error
        default: break
        }
        if field.hasPrefix("header.") {
            let name = String(field.dropFirst("header.".count))
            return record.headers.last { $0.name == name }?.value?.display
        }
        let path = field.dropFirst("data.".count).split(separator: ".").map(String.init)
        guard var node = record.event?.data else { return nil }
        for component in path {
            switch node {
            case .object(let members):
                guard let next = members[component] else { return nil }
                node = next
            case .array(let elements):
                guard let position = Int(component), elements.indices.contains(position) else { return nil }
                node = elements[position]
            default:
                return nil
            }
        }
        return JSONText.scalar(node)
    }
}

/// JSON values as short text for filters and the pretty printer.
enum JSONText {
    /// Strings as is, integral numbers without a fraction, other values as compact JSON.
    static func scalar(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .number(let number):
            if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
            return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .array, .object: return compact(value)
        }
    }

    /// Compact JSON with sorted keys.
    static func compact(_ value: JSONValue) -> String {
        (try? PayloadJSON.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "?"
    }
}
