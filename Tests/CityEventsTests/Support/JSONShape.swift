import CityEvents

/// The shape of a JSON document as a contract sees it: every field path with its JSON type.
/// Paths look like `measurements[].unit`; map-like fields (dynamic keys) and opaque fields are not
/// descended into.
enum JSONShape {
    /// Fields whose keys are data, not schema.
    static let mapFields: Set<String> = ["components"]
    /// Fields that carry foreign JSON as-is.
    static let opaqueFields: Set<String> = ["record"]

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

    /// Every field path of an object with its JSON type.
    static func fields(of value: JSONValue) -> [String: String] {
        var result: [String: String] = [:]
        collect(value, prefix: "", into: &result)
        return result
    }

    private static func collect(_ value: JSONValue, prefix: String, into result: inout [String: String]) {
        guard case .object(let members) = value else { return }
        for (key, member) in members {
            let path = prefix.isEmpty ? key : prefix + "." + key
            if mapFields.contains(key), case .object(let entries) = member {
                result[path] = "map<" + (entries.values.first.map(typeName) ?? "any") + ">"
                continue
            }
            if opaqueFields.contains(key) {
                result[path] = "any"
                continue
            }
            switch member {
            case .array(let elements):
                result[path] = "array"
                for element in elements {
                    if case .object = element {
                        collect(element, prefix: path + "[]", into: &result)
                    } else {
                        result[path + "[]"] = typeName(element)
                    }
                }
            case .object:
                result[path] = "object"
                collect(member, prefix: path, into: &result)
            default:
                result[path] = typeName(member)
            }
        }
    }

    /// The document with the field at `path` removed (from every element for `[]` steps).
    static func removing(_ path: String, from value: JSONValue) -> JSONValue {
        removing(path.split(separator: ".").map(String.init)[...], from: value)
    }

    private static func removing(_ steps: ArraySlice<String>, from value: JSONValue) -> JSONValue {
        guard let first = steps.first, case .object(var members) = value else { return value }
        let isArrayStep = first.hasSuffix("[]")
        let key = isArrayStep ? String(first.dropLast(2)) : first
        if steps.count == 1 {
            if isArrayStep, case .array = members[key] {
                return value  // element of a scalar array: not removable on its own
            }
            members[key] = nil
            return .object(members)
        }
        guard let member = members[key] else { return value }
        if isArrayStep, case .array(let elements) = member {
            members[key] = .array(elements.map { removing(steps.dropFirst(), from: $0) })
        } else {
            members[key] = removing(steps.dropFirst(), from: member)
        }
        return .object(members)
    }
}

/// A per-event-type compatibility contract: every field with its JSON type and whether it is
/// required. Committed under `Fixtures/contracts/`; the current code must stay compatible with it.
struct FieldContract: Codable, Equatable, Sendable {
    struct Field: Codable, Equatable, Sendable {
        var type: String
        var required: Bool
    }

    var eventType: String
    var fields: [String: Field]

    /// Problems that would break an existing consumer (or that the contract file must record).
    func incompatibilities(withCurrent current: FieldContract) -> [String] {
        var problems: [String] = []
        for (path, field) in fields.sorted(by: { $0.key < $1.key }) {
            guard let now = current.fields[path] else {
                problems.append("\(eventType): field '\(path)' was removed or renamed (breaks v1 consumers)")
                continue
            }
            if now.type != field.type {
                problems.append("\(eventType): field '\(path)' changed type \(field.type) → \(now.type) (breaks v1 consumers)")
            }
            if now.required && !field.required {
                problems.append("\(eventType): field '\(path)' became required (breaks v1 producers' old events)")
            }
        }
        for (path, field) in current.fields.sorted(by: { $0.key < $1.key }) where fields[path] == nil {
            if field.required {
                problems.append("\(eventType): new required field '\(path)' (not allowed in v1; make it optional)")
            } else {
                problems.append("\(eventType): new optional field '\(path)' is not in the contract file yet; add it (additive change)")
            }
        }
        return problems
    }
}
