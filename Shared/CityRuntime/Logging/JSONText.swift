import Logging

/// Helpers that write JSON text by hand for the log handler, where allocation per line matters.
enum JSONText {
    /// Appends `value` as a JSON string literal (quoted, with RFC 8259 escapes) to `output`.
    static func appendString(_ value: String, to output: inout String) {
        output.append("\"")
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output.append("\\\"")
            case "\\": output.append("\\\\")
            case "\n": output.append("\\n")
            case "\r": output.append("\\r")
            case "\t": output.append("\\t")
            case "\u{08}": output.append("\\b")
            case "\u{0C}": output.append("\\f")
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                output.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: output.unicodeScalars.append(scalar)
            }
        }
        output.append("\"")
    }

    /// Appends swift-log metadata as JSON: strings as strings, arrays as arrays, dictionaries as objects.
    static func appendMetadataValue(_ value: Logging.Logger.MetadataValue, to output: inout String) {
        switch value {
        case .string(let text): appendString(text, to: &output)
        case .stringConvertible(let convertible): appendString(convertible.description, to: &output)
        case .array(let values):
            output.append("[")
            for (index, element) in values.enumerated() {
                if index > 0 { output.append(",") }
                appendMetadataValue(element, to: &output)
            }
            output.append("]")
        case .dictionary(let entries):
            output.append("{")
            for (index, key) in entries.keys.sorted().enumerated() {
                if index > 0 { output.append(",") }
                appendString(key, to: &output)
                output.append(":")
                appendMetadataValue(entries[key]!, to: &output)
            }
            output.append("}")
        }
    }
}
