import Foundation

/// One invalid field of a request: which field (a JSON path such as `fields[1].unit`) and why.
public struct FieldError: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The JSON path of the field.
    public var field: String
    /// What is wrong and what is expected.
    public var reason: String

    /// Creates a field error.
    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }
}

/// A request that decoded but is not valid: the list of its field errors (never empty).
public struct ValidationFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// Every invalid field.
    public var errors: [FieldError]

    /// Creates a failure.
    public init(_ errors: [FieldError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "; ") }
}

/// Collects field errors while a request is checked.
struct FieldChecker {
    private(set) var errors: [FieldError] = []

    mutating func fail(_ field: String, _ reason: String) { errors.append(FieldError(field: field, reason: reason)) }

    mutating func require(_ condition: Bool, _ field: String, _ reason: @autoclosure () -> String) {
        if !condition { fail(field, reason()) }
    }

    /// A non-blank string of at most `maxLength` characters.
    mutating func text(_ value: String?, _ field: String, required: Bool = true, maxLength: Int = 500) {
        guard let value else {
            if required { fail(field, "is required") }
            return
        }
        if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { fail(field, "must not be blank") }
        else if value.count > maxLength { fail(field, "must be at most \(maxLength) characters") }
    }

    func finish() throws(ValidationFailure) {
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }
}
