import CityRuntime
import Testing

@Suite("Configuration from the environment")
struct ConfigurationTests {
    static let valid = [
        "DATABASE_URL": "postgres://ingest:s3cret-pass@db.local:5433/citydata?sslmode=disable",
        "KAFKA_BOOTSTRAP_SERVERS": "broker-1:9092, broker-2:9092",
    ]

    private func load(_ overrides: [String: String?]) throws(ConfigurationError) -> RuntimeConfiguration {
        var values = Self.valid
        for (key, value) in overrides { values[key] = value }
        return try RuntimeConfiguration(from: EnvironmentReader(values), defaultPort: 8081, defaultSchema: SQLIdentifier("ingest")!)
    }

    private func message(_ overrides: [String: String?]) -> String? {
        do {
            _ = try load(overrides)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func defaultsApply() throws {
        let configuration = try load([:])
        #expect(configuration.httpHost == "0.0.0.0")
        #expect(configuration.httpPort == 8081)
        #expect(configuration.logLevel == .info)
        #expect(configuration.shutdownTimeout == .seconds(25))
        #expect(configuration.schema.name == "ingest")
        #expect(configuration.kafkaBootstrapServers == "broker-1:9092,broker-2:9092")
        #expect(configuration.database == DatabaseURL(host: "db.local", port: 5433, username: "ingest", password: "s3cret-pass", database: "citydata"))
    }

    @Test func overridesApply() throws {
        let configuration = try load([
            "HTTP_HOST": "127.0.0.1", "HTTP_PORT": "9000", "LOG_LEVEL": "DEBUG",
            "SHUTDOWN_TIMEOUT_SECONDS": "2.5", "DATABASE_SCHEMA": "ingest_blue",
        ])
        #expect(configuration.httpHost == "127.0.0.1")
        #expect(configuration.httpPort == 9000)
        #expect(configuration.logLevel == .debug)
        #expect(configuration.shutdownTimeout == .milliseconds(2500))
        #expect(configuration.schema.name == "ingest_blue")
    }

    @Test(arguments: [
        (["HTTP_PORT": "abc"], #"configuration error: HTTP_PORT must be an integer 1–65535, got "abc""#),
        (["HTTP_PORT": "70000"], #"configuration error: HTTP_PORT must be an integer 1–65535, got "70000""#),
        (["DATABASE_URL": nil], "configuration error: DATABASE_URL must be a URL postgres://user:password@host:port/database?sslmode=disable|require"),
        (["KAFKA_BOOTSTRAP_SERVERS": ""], "configuration error: KAFKA_BOOTSTRAP_SERVERS must be a comma-separated list of host:port (e.g. localhost:9092)"),
        (["KAFKA_BOOTSTRAP_SERVERS": "localhost"], #"configuration error: KAFKA_BOOTSTRAP_SERVERS must be a comma-separated list of host:port (e.g. localhost:9092), got "localhost""#),
        (["LOG_LEVEL": "loud"], #"configuration error: LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical, got "loud""#),
        (["SHUTDOWN_TIMEOUT_SECONDS": "-1"], #"configuration error: SHUTDOWN_TIMEOUT_SECONDS must be a duration in seconds between 1 and 600 (e.g. 25, 2.5s, 500ms), got "-1""#),
        (["DATABASE_SCHEMA": "Ingest;drop"], #"configuration error: DATABASE_SCHEMA must be a lower-case SQL identifier ([a-z_][a-z0-9_]*, at most 63 characters), got "Ingest;drop""#),
    ] as [([String: String?], String)])
    func malformedVariableIsNamed(overrides: [String: String?], expected: String) {
        #expect(message(overrides) == expected)
    }

    @Test func malformedDatabaseURLIsNotEchoed() {
        let line = message(["DATABASE_URL": "mysql://ingest:hunter2-secret@db/citydata"])
        #expect(line == "configuration error: DATABASE_URL must be a URL postgres://user:password@host:port/database?sslmode=disable|require")
        #expect(line?.contains("hunter2") == false)
    }

    @Test func readerTypes() throws {
        let reader = EnvironmentReader(["FLAG": "yes", "WAIT": "500ms", "N": " 7 ", "BLANK": "  "])
        #expect(try reader.bool("FLAG", default: false))
        #expect(try reader.bool("MISSING", default: true))
        #expect(try reader.duration("WAIT", default: .seconds(1), range: .zero...(.seconds(5))) == .milliseconds(500))
        #expect(try reader.int("N", range: 1...10) == 7)
        #expect(reader.optional("BLANK") == nil)
        #expect(throws: ConfigurationError(variable: "BLANK", expectation: "set", received: nil)) { try reader.required("BLANK") }
        #expect(throws: ConfigurationError(variable: "FLAG", expectation: "an integer 1–3", received: "yes")) {
            try reader.int("FLAG", range: 1...3)
        }
    }
}
