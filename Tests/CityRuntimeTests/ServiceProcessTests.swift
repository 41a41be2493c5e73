import CityTestSupport
import CityRuntime
import Foundation
import PostgresNIO
import Testing

@Suite("A service executable as a process")
struct ServiceProcessTests {
    /// `kafka` defaults to a closed port: only the test that needs a ready service asks for the dev
    /// cluster (`LiveKafka`).
    static func baseEnvironment(port: Int, kafka: String? = nil) -> [String: String] {
        [
            "HTTP_HOST": "127.0.0.1", "HTTP_PORT": String(port), "KAFKA_BOOTSTRAP_SERVERS": kafka ?? "127.0.0.1:9",
            "SHUTDOWN_TIMEOUT_SECONDS": "10", "LOG_LEVEL": "info",
        ]
    }

    /// The base environment with the dev cluster and `role`'s database and schema.
    static func liveEnvironment(port: Int, role: ServiceRole) throws -> [String: String] {
        var environment = baseEnvironment(port: port, kafka: try LiveKafka.bootstrapServers())
        environment["DATABASE_URL"] = try TestDatabase.url(for: role).unredactedString
        environment["DATABASE_SCHEMA"] = role.schema.name
        return environment
    }

    @Test func startsServesAndStopsCleanlyOnSIGTERM() async throws {
        try await TestDatabase.withServiceRoles("proc", count: 1) { roles in
            let role = roles[0]
            let port = try freeTCPPort()
            let environment = try Self.liveEnvironment(port: port, role: role)
            let child = try ChildProcess("ingest", environment: environment)
            let http = HTTPProbe(base: URL(string: "http://127.0.0.1:\(port)")!)

            let live = try await http.waitFor("/health/live", status: 200, within: .seconds(30))
            #expect(live?.status == 200)
            let ready = try await http.waitFor("/health/ready", status: 200, within: .seconds(30))
            #expect(ready?.status == 200, "ready: \(ready?.body ?? "no answer"); stderr: \(child.standardError)")
            #expect(ready?.body.contains(#""status":"ready""#) == true)

            let missing = try await http.get("/no/such/path")
            #expect(missing.status == 404)
            #expect(missing.contentType == "application/problem+json")
            #expect(missing.body.contains(#""status":404"#))

            let metrics = try await http.get("/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.contentType?.hasPrefix("text/plain; version=0.0.4") == true)
            let requestLines = metrics.body.split(separator: "\n").filter { $0.hasPrefix("http_requests_total{") }
            #expect(requestLines.contains { $0.contains(#"route="/health/ready""#) && $0.contains(#"status="200""#) }, "\(metrics.body)")
            #expect(metrics.body.contains("http_request_duration_seconds_bucket"))

            // The service's migrations landed in its own schema. Monthly archive partitions are left out:
            // the archive consumer creates them on demand for whatever other tests put on the shared topic.
            let tables = try await TestDatabase.withAdminClient { client in
                try await client.query("""
                    SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = \(role.schema.name) AND c.relkind IN ('r', 'p') AND NOT c.relispartition
                    ORDER BY c.relname
                    """)
                    .decode(String.self).reduce(into: [String]()) { $0.append($1) }
            }
            #expect(tables == ["batches", "kafka_offsets", "observations", "schema_migrations"])

            child.terminate()
            let status = try await child.waitForExit(within: .seconds(20))
            #expect(status == 0, "stderr: \(child.standardError)")
            let lines = child.standardOutput.split(separator: "\n")
            #expect(!lines.isEmpty)
            for line in lines {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                #expect(object?["service"] as? String == "ingest", "not a JSON log line: \(line)")
            }
            #expect(!child.standardOutput.contains(role.password), "the database password leaked into the logs")
        }
    }

    @Test func malformedConfigurationExits78WithOneLine() async throws {
        var environment = Self.baseEnvironment(port: 1)
        environment["HTTP_PORT"] = "abc"
        environment["DATABASE_URL"] = "postgres://ingest:pw@127.0.0.1:1/citydata"
        let child = try ChildProcess("catalog", environment: environment)
        let status = try await child.waitForExit(within: .seconds(20))
        #expect(status == 78)
        #expect(child.standardError == "configuration error: HTTP_PORT must be an integer 1–65535, got \"abc\"\n")
    }

    @Test("with neither database nor Kafka reachable: live, not ready (naming both), and SIGTERM still exits 0")
    func unreachableDatabaseIsNotReadyAndStillStopsCleanly() async throws {
        let port = try freeTCPPort()
        let closedPort = try freeTCPPort()
        var environment = Self.baseEnvironment(port: port)
        environment["DATABASE_URL"] = "postgres://notifications:pw@127.0.0.1:\(closedPort)/citydata"
        let child = try ChildProcess("notifications", environment: environment)
        let http = HTTPProbe(base: URL(string: "http://127.0.0.1:\(port)")!)

        let live = try await http.waitFor("/health/live", status: 200, within: .seconds(30))
        #expect(live?.status == 200)
        let ready = try await http.get("/health/ready")
        #expect(ready.status == 503)
        #expect(ready.contentType == "application/problem+json")
        let body = try JSONSerialization.jsonObject(with: Data(ready.body.utf8)) as? [String: Any]
        // The runtime's own checks, and the notifications service's: its catalog copy and its fan-out.
        #expect(Set(body?["failing"] as? [String] ?? []) == ["database", "migrations", "kafka", "catalog", "fanout"])

        child.terminate()
        #expect(try await child.waitForExit(within: .seconds(20)) == 0, "stderr: \(child.standardError)")
    }

    @Test("a service that ignores cancellation: shutdown ends with exit 1 naming it, not with an abort")
    func stuckShutdownExitsOneNamingTheService() async throws {
        try await Self.withStuckProbe(arguments: []) { child, port in
            let http = HTTPProbe(base: URL(string: "http://127.0.0.1:\(port)")!)
            let ready = try await http.waitFor("/health/ready", status: 200, within: .seconds(30))
            #expect(ready?.status == 200, "ready: \(ready?.body ?? "no answer"); stderr: \(child.standardError)")

            let stopping = ContinuousClock.now
            child.terminate()
            let status = try await child.waitForExit(within: .seconds(30))
            let took = ContinuousClock.now - stopping
            #expect(status == 1, "exit status (an abort would show as signal 6); stderr: \(child.standardError)")
            #expect(took < .seconds(9), "1 s of graceful shutdown + 5 s of cancellation grace, then the watchdog: \(took)")
            #expect(child.standardError.contains("still running: stuck-worker"), "stderr: \(child.standardError)")
        }
    }

    @Test("a service that fails while another ignores cancellation: exit 1 naming the stuck one, not an abort")
    func failureWithStuckServiceExitsOne() async throws {
        try await Self.withStuckProbe(arguments: ["--fail-after", "3"]) { child, _ in
            // Timed from the child's launch (a CI run timed from before the test's role setup saw 20.05 s).
            let started = ContinuousClock.now
            let status = try await child.waitForExit(within: .seconds(40))
            let took = ContinuousClock.now - started
            // Without the watchdog the process hangs until `waitForExit` kills it (status 9, not 1).
            #expect(status == 1, "exit status (an abort would show as signal 4 or 6); stderr: \(child.standardError)")
            #expect(took < .seconds(25), "startup, 3 s to the failure, then 1 s + 5 s of grace: \(took)")
            #expect(child.standardError.contains("still running: stuck-worker"), "stderr: \(child.standardError)")
        }
    }

    /// Runs `runtime-probe stuck` with `arguments`, a fresh role and a 1 s shutdown bound.
    static func withStuckProbe(arguments: [String], _ body: @Sendable (ChildProcess, Int) async throws -> Void) async throws {
        try await TestDatabase.withServiceRoles("stuck", count: 1) { roles in
            let port = try freeTCPPort()
            var environment = try liveEnvironment(port: port, role: roles[0])
            environment["SHUTDOWN_TIMEOUT_SECONDS"] = "1"
            try await body(try ChildProcess("runtime-probe", arguments: ["stuck"] + arguments, environment: environment), port)
        }
    }
}
