import Logging

/// The configuration every CityData service reads at start, validated.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `HTTP_HOST` | `0.0.0.0` | address the HTTP server binds |
/// | `HTTP_PORT` | the service's port | port the HTTP server binds |
/// | `DATABASE_URL` | required | the service role's connection URL |
/// | `DATABASE_SCHEMA` | the service's schema | schema migrations and queries use |
/// | `KAFKA_BOOTSTRAP_SERVERS` | required | `host:port` list |
/// | `LOG_LEVEL` | `info` | `trace` … `critical` |
/// | `SHUTDOWN_TIMEOUT_SECONDS` | `25` | bound on graceful shutdown |
public struct RuntimeConfiguration: Sendable {
    public var httpHost: String
    public var httpPort: Int
    public var database: DatabaseURL
    public var schema: SQLIdentifier
    public var kafkaBootstrapServers: String
    public var logLevel: Logger.Level
    public var shutdownTimeout: Duration

    public init(
        httpHost: String = "0.0.0.0",
        httpPort: Int,
        database: DatabaseURL,
        schema: SQLIdentifier,
        kafkaBootstrapServers: String,
        logLevel: Logger.Level = .info,
        shutdownTimeout: Duration = .seconds(25)
    ) {
        self.httpHost = httpHost
        self.httpPort = httpPort
        self.database = database
        self.schema = schema
        self.kafkaBootstrapServers = kafkaBootstrapServers
        self.logLevel = logLevel
        self.shutdownTimeout = shutdownTimeout
    }

    /// Reads and validates the common variables; the first problem found is thrown.
    public init(from reader: EnvironmentReader, defaultPort: Int, defaultSchema: SQLIdentifier) throws(ConfigurationError) {
        self.httpHost = reader.optional("HTTP_HOST") ?? "0.0.0.0"
        self.httpPort = try reader.int("HTTP_PORT", default: defaultPort, range: 1...65535)
        self.database = try reader.parsed("DATABASE_URL", expecting: DatabaseURL.expectation, secret: true, DatabaseURL.parse)
        if let schemaName = reader.optional("DATABASE_SCHEMA") {
            guard let schema = SQLIdentifier(schemaName) else {
                throw ConfigurationError(variable: "DATABASE_SCHEMA", expectation: SQLIdentifier.expectation, received: schemaName)
            }
            self.schema = schema
        } else {
            self.schema = defaultSchema
        }
        self.kafkaBootstrapServers = try reader.parsed(
            "KAFKA_BOOTSTRAP_SERVERS", expecting: BootstrapServers.expectation, BootstrapServers.validate
        )
        self.logLevel = try reader.logLevel("LOG_LEVEL", default: .info)
        self.shutdownTimeout = try reader.duration(
            "SHUTDOWN_TIMEOUT_SECONDS", default: .seconds(25), range: .seconds(1)...(.seconds(600))
        )
    }
}
