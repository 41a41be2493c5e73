import Foundation
import Logging

/// A typed, validating view of the process environment.
///
/// Every service reads its variables through one reader, so that a missing or malformed value
/// becomes a ``ConfigurationError`` naming the variable and what it expects. An empty value counts
/// as missing. Mark a variable `secret` and its value never appears in an error line.
public struct EnvironmentReader: Sendable {
    /// The raw variables this reader looks at.
    public let values: [String: String]

    public init(_ values: [String: String] = ProcessInfo.processInfo.environment) {
        self.values = values
    }

    /// The trimmed value of `name`, or `nil` when it is unset or blank.
    public func optional(_ name: String) -> String? {
        guard let raw = values[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else {
            return nil
        }
        return raw
    }

    /// The value of `name`; throws when it is unset or blank.
    public func required(_ name: String, expecting expectation: String = "set") throws(ConfigurationError) -> String {
        guard let value = optional(name) else {
            throw ConfigurationError(variable: name, expectation: expectation, received: nil)
        }
        return value
    }

    /// An integer in `range`, or `defaultValue` when unset (a required variable when `defaultValue` is nil).
    public func int(_ name: String, default defaultValue: Int? = nil, range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        let expectation = "an integer \(range.lowerBound)–\(range.upperBound)"
        guard let raw = optional(name) else {
            if let defaultValue { return defaultValue }
            throw ConfigurationError(variable: name, expectation: expectation, received: nil)
        }
        guard let value = Int(raw), range.contains(value) else {
            throw ConfigurationError(variable: name, expectation: expectation, received: raw)
        }
        return value
    }

    /// A boolean written `true`/`false` (also `1`/`0`, `yes`/`no`), or `defaultValue` when unset.
    public func bool(_ name: String, default defaultValue: Bool) throws(ConfigurationError) -> Bool {
        guard let raw = optional(name) else { return defaultValue }
        switch raw.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw ConfigurationError(variable: name, expectation: "true or false", received: raw)
        }
    }

    /// A duration in whole or fractional seconds (`25`, `0.5`), optionally suffixed `s` or `ms`.
    public func duration(_ name: String, default defaultValue: Duration, range: ClosedRange<Duration>) throws(ConfigurationError) -> Duration {
        let expectation = "a duration in seconds between \(Self.seconds(range.lowerBound)) and \(Self.seconds(range.upperBound)) (e.g. 25, 2.5s, 500ms)"
        guard let raw = optional(name) else { return defaultValue }
        guard let value = Self.parseDuration(raw), range.contains(value) else {
            throw ConfigurationError(variable: name, expectation: expectation, received: raw)
        }
        return value
    }

    /// One of the listed values (compared case-insensitively), or `defaultValue` when unset.
    public func oneOf(_ name: String, _ allowed: [String], default defaultValue: String) throws(ConfigurationError) -> String {
        guard let raw = optional(name) else { return defaultValue }
        guard let match = allowed.first(where: { $0.caseInsensitiveCompare(raw) == .orderedSame }) else {
            throw ConfigurationError(variable: name, expectation: "one of \(allowed.joined(separator: ", "))", received: raw)
        }
        return match
    }

    /// A value converted by `parse`; `parse` returns `nil` for a malformed value. Secret values are not echoed.
    public func parsed<Value>(
        _ name: String,
        expecting expectation: String,
        secret: Bool = false,
        _ parse: (String) -> Value?
    ) throws(ConfigurationError) -> Value {
        let raw = try required(name, expecting: expectation)
        guard let value = parse(raw) else {
            throw ConfigurationError(variable: name, expectation: expectation, received: secret ? nil : raw)
        }
        return value
    }

    /// A swift-log level (`trace` … `critical`), or `defaultValue` when unset.
    public func logLevel(_ name: String, default defaultValue: Logger.Level) throws(ConfigurationError) -> Logger.Level {
        let names = Logger.Level.allCases.map(\.rawValue)
        let raw = try oneOf(name, names, default: defaultValue.rawValue)
        return Logger.Level(rawValue: raw) ?? defaultValue
    }

    static func parseDuration(_ text: String) -> Duration? {
        let lowered = text.lowercased()
        let (number, scale): (Substring, Double) =
            if lowered.hasSuffix("ms") { (lowered.dropLast(2), 0.001) }
            else if lowered.hasSuffix("s") { (lowered.dropLast(), 1) }
            else { (Substring(lowered), 1) }
        guard let value = Double(number), value.isFinite, value >= 0 else { return nil }
        return .milliseconds(Int64((value * scale * 1000).rounded()))
    }

    private static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return attoseconds == 0 ? "\(seconds)" : "\(Double(seconds) + Double(attoseconds) / 1e18)"
    }
}
