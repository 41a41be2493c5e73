import Logging
import PostgresNIO

/// One service's database identity: a login role that owns one schema.
public struct ServiceRole: Sendable {
    public let role: SQLIdentifier
    public let schema: SQLIdentifier
    /// The role's password; it is only ever sent to the server, never logged.
    public let password: String

    public init(role: SQLIdentifier, schema: SQLIdentifier, password: String) {
        self.role = role
        self.schema = schema
        self.password = password
    }
}

/// Creates the service roles and schemas from an administrative connection, idempotently.
///
/// For each ``ServiceRole``: a `LOGIN` role without other privileges (created, or its password and
/// attributes reset), `search_path` set to its schema, the schema created and owned by it with
/// all rights of `PUBLIC` revoked, and `CONNECT` on the current database. Database-wide, `PUBLIC`
/// loses every right on schema `public` and `CONNECT`/`TEMPORARY` on the database. The whole run
/// is one transaction under an advisory lock, so concurrent bootstraps do not collide.
public struct DatabaseBootstrap: Sendable {
    public let roles: [ServiceRole]

    public init(roles: [ServiceRole]) {
        self.roles = roles
    }

    public func apply(using client: PostgresClient, logger: Logger) async throws {
        do {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended('citydata.bootstrap', 0))", logger: logger)
                try await self.restrictPublic(on: connection, logger: logger)
                for role in self.roles {
                    try await self.ensure(role, on: connection, logger: logger)
                }
            }
        } catch let error as PostgresTransactionError {
            let underlying = error.closureError ?? error.beginError ?? error.commitError ?? error
            throw BootstrapError(reason: PostgresErrorText.describe(underlying))
        }
    }

    private func restrictPublic(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("REVOKE ALL ON SCHEMA public FROM PUBLIC", logger: logger)
        try await execute(
            "SELECT format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database())",
            on: connection, logger: logger
        )
    }

    private func ensure(_ role: ServiceRole, on connection: PostgresConnection, logger: Logger) async throws {
        let name = role.role.name
        let exists = try await connection.query("SELECT 1 FROM pg_roles WHERE rolname = \(name)", logger: logger)
            .collect().count > 0
        let verb = exists ? "ALTER" : "CREATE"
        let password = role.password
        try await execute(
            """
            SELECT format('\(unescaped: verb) ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS PASSWORD %L',
                          \(name), \(password))
            """,
            on: connection, logger: logger
        )
        let (roleSQL, schemaSQL) = (role.role.quoted, role.schema.quoted)
        for statement in [
            "ALTER ROLE \(roleSQL) SET search_path TO \(schemaSQL)",
            "CREATE SCHEMA IF NOT EXISTS \(schemaSQL) AUTHORIZATION \(roleSQL)",
            "ALTER SCHEMA \(schemaSQL) OWNER TO \(roleSQL)",
            "REVOKE ALL ON SCHEMA \(schemaSQL) FROM PUBLIC",
        ] {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
        try await execute(
            "SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), \(name))",
            on: connection, logger: logger
        )
        logger.info("service role ready", metadata: ["role": "\(name)", "schema": "\(role.schema)", "created": "\(!exists)"])
    }

    /// Runs the statement that `generator` (a `SELECT format(…)` quoting names and literals
    /// server-side) returns. Used for DDL, which cannot take bound parameters.
    private func execute(_ generator: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws {
        for try await statement in try await connection.query(generator, logger: logger).decode(String.self) {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
    }
}

/// The bootstrap failed; `reason` is the server's message (never a password).
public struct BootstrapError: Error, CustomStringConvertible, Sendable {
    public let reason: String
    public var description: String { "database bootstrap failed: \(reason)" }
}
