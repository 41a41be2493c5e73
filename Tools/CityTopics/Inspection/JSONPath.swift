import CityEvents

/// Field paths of the contract files (`location.lat`, `measurements[].unit`, `tags[]`): the values
/// at a path, and a document with a field removed.
enum JSONPath {
    /// The JSON type name the contract files use.
    static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// Every value at `path` (several through arrays); empty when absent.
    static func values(at path: String, in document: JSONValue) -> [JSONValue] {
        var current = [document]
        for component in path.split(separator: ".") {
            let isArray = component.hasSuffix("[]")
            let key = isArray ? String(component.dropLast(2)) : String(component)
            var next: [JSONValue] = []
            for node in current {
                guard case .object(let members) = node, let member = members[key] else { continue }
                if isArray {
                    if case .array(let elements) = member { next += elements }
                } else {
                    next.append(member)
                }
            }
            current = next
        }
        return current
    }

    /// The document without the field at `path` (from every element on the way through arrays).
    static func removing(_ path: String, from document: JSONValue) -> JSONValue {
        remove(path.split(separator: ".").map(String.init)[...], from: document)
    }

    private static func remove(_ components: ArraySlice<String>, from node: JSONValue) -> JSONValue {
        guard let first = components.first, case .object(var members) = node else { return node }
        let isArray = first.hasSuffix("[]")
        let key = isArray ? String(first.dropLast(2)) : first
        guard let member = members[key] else { return node }
        let rest = components.dropFirst()
        if rest.isEmpty && !isArray {
            members[key] = nil
        } else if isArray, case .array(let elements) = member {
            members[key] = .array(rest.isEmpty ? elements : elements.map { remove(rest, from: $0) })
        } else if !isArray {
            members[key] = remove(rest, from: member)
        }
        return .object(members)
    }
}
