import CityTestSupport
import CityRuntime
import PostgresNIO
import Testing

@Suite("Migration runner (real Postgres)")
struct MigrationRunnerTests {
    static let plan = [
        Migration(version: 1, name: "counter", sql: "CREATE TABLE counter (n integer NOT NULL); INSERT INTO counter VALUES (1);"),
        Migration(
            version: 2,
            name: "second",
            sql: "INSERT INTO counter VALUES (2);\nCREATE FUNCTION answer() RETURNS integer LANGUAGE sql AS $$ SELECT 42; $$;"
        ),
    ]

    @Test func concurrentStartsApplyEachMigrationOnce() async throws {
        try await TestDatabase.withSchema("mig") { schema in
            let url = try TestDatabase.adminURL()
            let outcomes = try await withThrowingTaskGroup(of: MigrationRunner.Outcome.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await withPostgresClient(url.clientConfiguration(), logger: TestDatabase.logger) { client in
                            try await MigrationRunner(schema: schema, migrations: Self.plan).apply(using: client, logger: TestDatabase.logger)
                        }
                    }
                }
                return try await group.reduce(into: [MigrationRunner.Outcome]()) { $0.append($1) }
            }
            #expect(outcomes.count == 8)
            #expect(outcomes.filter { $0.applied == [1, 2] }.count == 1)
            #expect(outcomes.filter { $0.applied.isEmpty }.count == 7)
            #expect(outcomes.allSatisfy { $0.currentVersion == 2 })

            try await TestDatabase.withAdminClient { client in
                let ledger = try await client.query(PostgresQuery(unsafeSQL: "SELECT version, name, checksum FROM \(schema.quoted).schema_migrations ORDER BY version"))
                    .decode((Int, String, String).self).reduce(into: [(Int, String, String)]()) { $0.append($1) }
                #expect(ledger.map(\.0) == [1, 2])
                #expect(ledger.map(\.1) == ["counter", "second"])
                #expect(ledger.map(\.2) == Self.plan.map(\.checksum))
                let rows = try await client.query(PostgresQuery(unsafeSQL: "SELECT n FROM \(schema.quoted).counter ORDER BY n"))
                    .decode(Int.self).reduce(into: [Int]()) { $0.append($1) }
                #expect(rows == [1, 2])
            }
        }
    }

    @Test func refusesUnknownVersion() async throws {
        try await TestDatabase.withSchema("unk") { schema in
            try await TestDatabase.withAdminClient { client in
                _ = try await MigrationRunner(schema: schema, migrations: Self.plan).apply(using: client, logger: TestDatabase.logger)
                let older = MigrationRunner(schema: schema, migrations: [Self.plan[0]])
                await #expect(throws: MigrationError.unknownVersions(schema: schema.name, versions: [2], latestKnown: 1)) {
                    try await older.apply(using: client, logger: TestDatabase.logger)
                }
            }
        }
    }

    @Test func refusesEditedMigration() async throws {
        try await TestDatabase.withSchema("sum") { schema in
            try await TestDatabase.withAdminClient { client in
                _ = try await MigrationRunner(schema: schema, migrations: [Self.plan[0]]).apply(using: client, logger: TestDatabase.logger)
                let edited = Migration(version: 1, name: "counter", sql: "CREATE TABLE counter (n bigint);")
                await #expect(throws: MigrationError.checksumMismatch(
                    schema: schema.name, version: 1, name: "counter", recorded: Self.plan[0].checksum, expected: edited.checksum
                )) {
                    try await MigrationRunner(schema: schema, migrations: [edited]).apply(using: client, logger: TestDatabase.logger)
                }
            }
        }
    }

    @Test func failedStatementAppliesNothing() async throws {
        try await TestDatabase.withSchema("bad") { schema in
            try await TestDatabase.withAdminClient { client in
                let broken = Self.plan + [Migration(version: 3, name: "broken", sql: "CREATE TABLE ok (a int); SELEC 1;")]
                let error = await #expect(throws: MigrationError.self) {
                    try await MigrationRunner(schema: schema, migrations: broken).apply(using: client, logger: TestDatabase.logger)
                }
                guard case .statementFailed(_, 3, "broken", 2, let reason) = error else {
                    Issue.record("unexpected error \(String(describing: error))")
                    return
                }
                #expect(reason.contains("syntax error"))
                let tables = try await client.query("SELECT count(*) FROM pg_tables WHERE schemaname = \(schema.name)")
                    .decode(Int.self).reduce(0, +)
                #expect(tables == 0)
            }
        }
    }

    @Test func missingSchemaIsExplained() async throws {
        try await TestDatabase.withAdminClient { client in
            let schema = SQLIdentifier(TestDatabase.uniqueName("none"))!
            await #expect(throws: MigrationError.schemaMissing(schema: schema.name)) {
                try await MigrationRunner(schema: schema, migrations: Self.plan).apply(using: client, logger: TestDatabase.logger)
            }
        }
    }

    @Test func rejectsUnorderedPlan() {
        let runner = MigrationRunner(schema: SQLIdentifier("x")!, migrations: [Self.plan[1], Self.plan[0]])
        #expect(throws: MigrationError.invalidPlan("version 1 \"counter\" must be greater than 2")) { try runner.validatePlan() }
    }
}
