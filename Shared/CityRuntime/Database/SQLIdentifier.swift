/// A validated, lower-case SQL identifier (schema or role name) that is safe to splice into DDL.
///
/// DDL statements cannot take bound parameters, so schema and role names are checked against
/// `[a-z_][a-z0-9_]{0,62}` once, here, and then written into statements double-quoted.
public struct SQLIdentifier: Sendable, Hashable, CustomStringConvertible {
    /// The bare name, e.g. `ingest`.
    public let name: String

    /// Returns `nil` unless `name` is 1–63 characters of `a-z`, `0-9`, `_`, not starting with a digit.
    public init?(_ name: String) {
        guard let first = name.utf8.first, (1...63).contains(name.utf8.count),
            first == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first),
            name.utf8.allSatisfy({ byte in
                byte == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            })
        else { return nil }
        self.name = name
    }

    /// The identifier double-quoted for use in SQL text.
    public var quoted: String { "\"\(name)\"" }

    public var description: String { name }

    /// What a valid identifier looks like, phrased for errors.
    public static let expectation = "a lower-case SQL identifier ([a-z_][a-z0-9_]*, at most 63 characters)"
}
