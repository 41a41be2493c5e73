/// Why a service's migrations could not be applied. Each case is a reason to refuse to start.
public enum MigrationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The binary's own list is wrong (duplicate or non-increasing versions, version below 1).
    case invalidPlan(String)
    /// The schema does not exist; the database was not bootstrapped.
    case schemaMissing(schema: String)
    /// The database records versions this binary does not have: it is older than the database.
    case unknownVersions(schema: String, versions: [Int], latestKnown: Int)
    /// A recorded migration's SQL differs from the binary's.
    case checksumMismatch(schema: String, version: Int, name: String, recorded: String, expected: String)
    /// A statement of a migration failed; nothing of the run was kept.
    case statementFailed(schema: String, version: Int, name: String, statement: Int, reason: String)
    /// The server refused the migration bookkeeping itself (e.g. missing privileges).
    case databaseRejected(schema: String, reason: String)

    public var description: String {
        switch self {
        case .invalidPlan(let reason):
            return "migration error: the binary's migration list is invalid: \(reason)"
        case .schemaMissing(let schema):
            return "migration error: schema \"\(schema)\" does not exist; run `citydata-admin bootstrap-database` first"
        case .unknownVersions(let schema, let versions, let latestKnown):
            let list = versions.map(String.init).joined(separator: ", ")
            return "migration error: schema \"\(schema)\" has migration version(s) \(list) that this binary does not know "
                + "(it knows up to \(latestKnown)); deploy a binary at least as new as the database"
        case .checksumMismatch(let schema, let version, let name, let recorded, let expected):
            return "migration error: migration \(version) \"\(name)\" in schema \"\(schema)\" was applied with checksum "
                + "\(recorded) but the binary has \(expected); shipped migrations must not be edited — add a new one"
        case .statementFailed(let schema, let version, let name, let statement, let reason):
            return "migration error: migration \(version) \"\(name)\" in schema \"\(schema)\" failed at statement "
                + "\(statement): \(reason); nothing was applied"
        case .databaseRejected(let schema, let reason):
            return "migration error: the database refused to migrate schema \"\(schema)\": \(reason)"
        }
    }
}
