import CityRuntime
import Foundation
import Logging
import PostgresNIO
import Testing

/// Access to the real Postgres the database tests run against (`DATABASE_ADMIN_URL`).
///
/// Without it the tests are skipped with the reason, except under `CI=true`, where they fail.
/// Every test creates its own uniquely named schemas and roles, so tests run in parallel.
public enum TestDatabase {
    public struct NotConfigured: Error, CustomStringConvertible {
        public var description: String { "DATABASE_ADMIN_URL is not set" }
    }

    public static let logger: Logger = {
        var logger = Logger(label: "citydata.tests") { _ in SwiftLogNoOpLogHandler() }
        logger.logLevel = .critical
        return logger
    }()

    public static func adminURL() throws -> DatabaseURL {
        let environment = ProcessInfo.processInfo.environment
        guard let raw = environment["DATABASE_ADMIN_URL"], !raw.isEmpty else {
            if environment["CI"] == "true" {
                Issue.record("DATABASE_ADMIN_URL is not set, and CI=true requires the database tests to run: start Postgres with Tools/stack/postgres.sh start and export .dev/postgres.env")
                throw NotConfigured()
            }
            try Test.cancel("skipped: DATABASE_ADMIN_URL is not set (Tools/stack/postgres.sh start, then set -a; source .dev/postgres.env)")
        }
        return try #require(DatabaseURL.parse(raw), "DATABASE_ADMIN_URL is not a postgres:// URL")
    }

    /// A fresh identifier such as `t_mig_3f9a0c1d`.
    public static func uniqueName(_ prefix: String) -> String {
        "t_\(prefix)_\(String(UInt32.random(in: .min ... .max), radix: 16))"
    }

    public static func withAdminClient<Result: Sendable>(_ body: @Sendable (PostgresClient) async throws -> Result) async throws -> Result {
        try await withPostgresClient(adminURL().clientConfiguration(), logger: logger, body)
    }

    /// `url` rewritten to log in as `role`.
    public static func url(for role: ServiceRole) throws -> DatabaseURL {
        var url = try adminURL()
        url.username = role.role.name
        url.password = role.password
        return url
    }

    /// Creates `count` fresh service roles (each owning a schema of the same name), runs `body`,
    /// then drops them with everything they own.
    public static func withServiceRoles<Result: Sendable>(
        _ prefix: String, count: Int, _ body: @Sendable ([ServiceRole]) async throws -> Result
    ) async throws -> Result {
        let roles = (0..<count).map { _ in
            let name = SQLIdentifier(uniqueName(prefix))!
            return ServiceRole(role: name, schema: name, password: UUID().uuidString)
        }
        try await withAdminClient { client in
            try await DatabaseBootstrap(roles: roles).apply(using: client, logger: logger)
        }
        let result: Swift.Result<Result, any Error>
        do { result = .success(try await body(roles)) } catch { result = .failure(error) }
        try await withAdminClient { client in
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended('citydata.bootstrap', 0))", logger: logger)
                for role in roles {
                    try await connection.query(PostgresQuery(unsafeSQL: "DROP OWNED BY \(role.role.quoted) CASCADE"), logger: logger)
                    try await connection.query(PostgresQuery(unsafeSQL: "DROP ROLE \(role.role.quoted)"), logger: logger)
                }
            }
        }
        return try result.get()
    }

    /// Creates a fresh schema owned by the admin role, runs `body`, then drops it.
    public static func withSchema<Result: Sendable>(_ prefix: String, _ body: @Sendable (SQLIdentifier) async throws -> Result) async throws -> Result {
        let schema = SQLIdentifier(uniqueName(prefix))!
        try await withAdminClient { client in
            _ = try await client.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA \(schema.quoted)"))
        }
        let result: Swift.Result<Result, any Error>
        do { result = .success(try await body(schema)) } catch { result = .failure(error) }
        try await withAdminClient { client in
            _ = try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(schema.quoted) CASCADE"))
        }
        return try result.get()
    }
}
