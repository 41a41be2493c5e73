import Logging
import PostgresNIO

/// Applies a service's migrations to its schema, once, even when several replicas start together.
///
/// Everything happens in one transaction that first takes a transaction-scoped advisory lock keyed
/// by the schema name: concurrent runners queue on the lock, and each one after the first finds
/// the work done. The ledger is `<schema>.schema_migrations(version, name, checksum, applied_at)`.
/// The runner refuses (``MigrationError``) when the database has versions the binary does not know
/// or a recorded checksum differs; then nothing is applied.
public struct MigrationRunner: Sendable {
    /// What one run did.
    public struct Outcome: Sendable, Equatable {
        /// Versions applied by this run, in order.
        public var applied: [Int]
        /// The highest version the schema is at after the run (0 for none).
        public var currentVersion: Int
    }

    public let schema: SQLIdentifier
    public let migrations: [Migration]

    public init(schema: SQLIdentifier, migrations: [Migration]) {
        self.schema = schema
        self.migrations = migrations
    }

    /// Validates the plan, then applies what is pending. Errors other than ``MigrationError`` come
    /// from the connection (database unreachable) and are worth retrying.
    public func apply(using client: PostgresClient, logger: Logger) async throws -> Outcome {
        try validatePlan()
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await self.applyLocked(on: connection, logger: logger)
            }
        } catch let error as PostgresTransactionError {
            if let migrationError = error.closureError as? MigrationError { throw migrationError }
            let underlying = error.closureError ?? error.beginError ?? error.commitError ?? error
            if PostgresErrorText.isServerError(underlying) {
                throw MigrationError.databaseRejected(schema: schema.name, reason: PostgresErrorText.describe(underlying))
            }
            throw underlying
        }
    }

    /// Throws ``MigrationError/invalidPlan(_:)`` unless versions start at 1 or above and strictly increase.
    public func validatePlan() throws(MigrationError) {
        var previous = 0
        for migration in migrations {
            guard migration.version > previous else {
                throw .invalidPlan("version \(migration.version) \"\(migration.name)\" must be greater than \(previous)")
            }
            previous = migration.version
        }
    }

    private func applyLocked(on connection: PostgresConnection, logger: Logger) async throws -> Outcome {
        let lockKey = "citydata.migrations.\(schema.name)"
        try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\(lockKey), 0))", logger: logger)

        let schemaName = schema.name
        let exists = try await connection.query("SELECT 1 FROM pg_namespace WHERE nspname = \(schemaName)", logger: logger)
            .collect().count > 0
        guard exists else { throw MigrationError.schemaMissing(schema: schema.name) }

        try await connection.query(PostgresQuery(unsafeSQL: "SET LOCAL search_path TO \(schema.quoted)"), logger: logger)
        try await connection.query(
            PostgresQuery(unsafeSQL: """
                CREATE TABLE IF NOT EXISTS \(schema.quoted).schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """),
            logger: logger
        )

        var recorded: [Int: (name: String, checksum: String)] = [:]
        let rows = try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT version, name, checksum FROM \(schema.quoted).schema_migrations"), logger: logger
        )
        for try await (version, name, checksum) in rows.decode((Int, String, String).self) {
            recorded[version] = (name, checksum)
        }
        try verify(recorded: recorded)

        var applied: [Int] = []
        for migration in migrations where recorded[migration.version] == nil {
            try await run(migration, on: connection, logger: logger)
            applied.append(migration.version)
        }
        let current = max(recorded.keys.max() ?? 0, applied.last ?? 0)
        return Outcome(applied: applied, currentVersion: current)
    }

    private func verify(recorded: [Int: (name: String, checksum: String)]) throws(MigrationError) {
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        let unknown = recorded.keys.filter { known[$0] == nil }.sorted()
        guard unknown.isEmpty else {
            throw .unknownVersions(schema: schema.name, versions: unknown, latestKnown: migrations.last?.version ?? 0)
        }
        for (version, entry) in recorded.sorted(by: { $0.key < $1.key }) {
            let migration = known[version]!
            guard migration.checksum == entry.checksum else {
                throw .checksumMismatch(
                    schema: schema.name, version: version, name: migration.name,
                    recorded: entry.checksum, expected: migration.checksum
                )
            }
        }
    }

    private func run(_ migration: Migration, on connection: PostgresConnection, logger: Logger) async throws {
        for (index, statement) in SQLScript.statements(in: migration.sql).enumerated() {
            do {
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
            } catch {
                throw MigrationError.statementFailed(
                    schema: schema.name, version: migration.version, name: migration.name,
                    statement: index + 1, reason: PostgresErrorText.describe(error)
                )
            }
        }
        let (version, name, checksum) = (migration.version, migration.name, migration.checksum)
        try await connection.query(
            "INSERT INTO \(unescaped: schema.quoted).schema_migrations (version, name, checksum) VALUES (\(version), \(name), \(checksum))",
            logger: logger
        )
        logger.info("migration applied", metadata: ["schema": "\(schema.name)", "version": "\(version)", "name": "\(name)"])
    }
}
