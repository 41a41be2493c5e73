/// A configuration variable that is missing or malformed.
///
/// Its `description` is the single line the process prints before it exits with code 78
/// (`EX_CONFIG`), e.g. `configuration error: HTTP_PORT must be an integer 1–65535, got "abc"`.
/// Secret values are never echoed: the reader leaves `received` empty for them.
public struct ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The environment variable at fault.
    public var variable: String
    /// What a valid value looks like, phrased to follow "must be".
    public var expectation: String
    /// The rejected value, or `nil` when the variable is missing or secret.
    public var received: String?

    public init(variable: String, expectation: String, received: String?) {
        self.variable = variable
        self.expectation = expectation
        self.received = received
    }

    public var description: String {
        switch received {
        case .some(let value):
            return "configuration error: \(variable) must be \(expectation), got \"\(value)\""
        case .none:
            return "configuration error: \(variable) must be \(expectation)"
        }
    }
}
