import ArgumentParser
import CityRuntime

/// `citydata-admin bootstrap-database`: creates the four service roles and schemas, idempotently.
struct BootstrapDatabase: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bootstrap-database",
        abstract: "Create the service roles and schemas (ingest, catalog, indicators, notifications).",
        discussion: """
            Connects with DATABASE_ADMIN_URL (a role allowed to create roles and schemas) and, for each
            service, creates or updates a login role of the same name with the password from
            <SERVICE>_DB_PASSWORD (e.g. INGEST_DB_PASSWORD), and a schema owned by it that no other
            role may use. Safe to run again: passwords are reset, nothing is dropped.
            """
    )

    static let services = ["ingest", "catalog", "indicators", "notifications"]

    func run() async throws {
        let environment = EnvironmentReader()
        let adminURL: DatabaseURL
        let roles: [ServiceRole]
        do {
            adminURL = try environment.parsed(
                "DATABASE_ADMIN_URL", expecting: DatabaseURL.expectation, secret: true, DatabaseURL.parse
            )
            roles = try Self.services.map { service throws(ConfigurationError) in
                let variable = "\(service.uppercased())_DB_PASSWORD"
                let password = try environment.parsed(variable, expecting: "a password of at least 12 characters", secret: true) {
                    $0.count >= 12 ? $0 : nil
                }
                return ServiceRole(role: SQLIdentifier(service)!, schema: SQLIdentifier(service)!, password: password)
            }
        } catch {
            ExitCode.configuration.exit(printing: String(describing: error))
        }

        // Always .info, whatever LOG_LEVEL says: bootstrap statements carry passwords, and
        // postgres-nio logs statements at debug level.
        let logger = LoggingBootstrap.bootstrap(service: "citydata-admin", level: .info)
        logger.info("bootstrapping database", metadata: ["database": "\(adminURL)"])
        do {
            try await withPostgresClient(adminURL.clientConfiguration(applicationName: "citydata-admin"), logger: logger) { client in
                try await DatabaseBootstrap(roles: roles).apply(using: client, logger: logger)
            }
        } catch {
            ExitCode.failure.exit(printing: "bootstrap error: \(PostgresErrorText.describe(error))")
        }
        logger.info("database bootstrapped", metadata: ["roles": "\(Self.services.joined(separator: ","))"])
    }
}
