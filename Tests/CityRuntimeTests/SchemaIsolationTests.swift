import CityTestSupport
import CityRuntime
import PostgresNIO
import Testing

@Suite("Schema isolation between service roles (real Postgres)")
struct SchemaIsolationTests {
    /// For every ordered pair (A, B) of four service roles, A can neither read, write nor create in B's schema.
    @Test func noRoleReachesAnotherSchema() async throws {
        try await TestDatabase.withServiceRoles("iso", count: 4) { roles in
            // Each role creates a table in its own schema, as its migrations would.
            for role in roles {
                try await withPostgresClient(TestDatabase.url(for: role).clientConfiguration(searchPath: role.schema), logger: TestDatabase.logger) { client in
                    _ = try await MigrationRunner(
                        schema: role.schema,
                        migrations: [Migration(version: 1, name: "probe", sql: "CREATE TABLE probe (v text); INSERT INTO probe VALUES ('mine');")]
                    ).apply(using: client, logger: TestDatabase.logger)
                }
            }
            var checked = 0
            for a in roles {
                checked += try await withPostgresClient(TestDatabase.url(for: a).clientConfiguration(), logger: TestDatabase.logger) { client in
                    var count = 0
                    for b in roles where b.role != a.role {
                        let target = b.schema.quoted
                        for statement in [
                            "SELECT v FROM \(target).probe",
                            "INSERT INTO \(target).probe VALUES ('intruder')",
                            "CREATE TABLE \(target).intruder (v text)",
                        ] {
                            do {
                                try await client.query(PostgresQuery(unsafeSQL: statement))
                                Issue.record("\(a.role) could run `\(statement)` in \(b.schema)")
                            } catch {
                                #expect(PostgresErrorText.sqlState(error) == "42501", "\(a.role): \(statement): \(PostgresErrorText.describe(error))")
                            }
                            count += 1
                        }
                    }
                    // …while its own schema works, and the public schema is closed.
                    let own = try await client.query(PostgresQuery(unsafeSQL: "SELECT v FROM \(a.schema.quoted).probe")).decode(String.self)
                        .reduce(into: [String]()) { $0.append($1) }
                    #expect(own == ["mine"])
                    await #expect(throws: (any Error).self) { try await client.query("CREATE TABLE public.intruder (v text)") }
                    return count
                }
            }
            #expect(checked == 4 * 3 * 3)
        }
    }
}
