/// What the runtime needs to know about a service: its name, default HTTP port, schema and migrations.
public struct ServiceDescriptor: Sendable {
    /// Process name, used in logs (`service`), metrics and `application_name`, e.g. `ingest`.
    public let name: String
    /// HTTP port when `HTTP_PORT` is unset.
    public let defaultPort: Int
    /// Schema when `DATABASE_SCHEMA` is unset; owned by the service's role.
    public let schema: SQLIdentifier
    /// The service's migrations in ascending version order.
    public let migrations: [Migration]

    /// - Parameter schema: defaults to a schema named like the service (`name` must then be an SQL identifier).
    public init(name: String, defaultPort: Int, schema: SQLIdentifier? = nil, migrations: [Migration]) {
        guard let schema = schema ?? SQLIdentifier(name) else {
            preconditionFailure("service name \(name) is not a valid schema name; pass `schema:`")
        }
        self.name = name
        self.defaultPort = defaultPort
        self.schema = schema
        self.migrations = migrations
    }
}
