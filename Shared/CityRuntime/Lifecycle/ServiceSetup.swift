import Hummingbird
import Logging
import PostgresNIO
import Prometheus
import ServiceLifecycle

/// Everything a service's setup closure may use and extend, handed over once before start.
///
/// Add routes to `router` (runtime middleware is already installed: metrics, problem+json), add
/// lifecycle services with ``addService(_:name:)`` — they start, in order, after migrations are
/// applied and stop in reverse order after HTTP has drained — and register readiness checks.
public struct ServiceSetup {
    public let descriptor: ServiceDescriptor
    public let configuration: RuntimeConfiguration
    public let environment: EnvironmentReader
    public let logger: Logger
    /// The connection pool; it runs as the first service of the group. Keep SQL in repository types.
    public let postgres: PostgresClient
    public let metrics: PrometheusCollectorRegistry
    public let readiness: ReadinessChecks
    /// Opens when migrations are applied; extra services already wait for it.
    public let migrated: StartupSignal
    public let router: Router<BasicRequestContext>

    private(set) var extraServices: [(service: any Service, name: String)] = []

    init(
        descriptor: ServiceDescriptor,
        configuration: RuntimeConfiguration,
        environment: EnvironmentReader,
        logger: Logger,
        postgres: PostgresClient,
        metrics: PrometheusCollectorRegistry,
        readiness: ReadinessChecks,
        migrated: StartupSignal,
        router: Router<BasicRequestContext>
    ) {
        self.descriptor = descriptor
        self.configuration = configuration
        self.environment = environment
        self.logger = logger
        self.postgres = postgres
        self.metrics = metrics
        self.readiness = readiness
        self.migrated = migrated
        self.router = router
    }

    /// Adds a long-running lifecycle service (a consumer, a relay…). Its `run()` must not return
    /// before graceful shutdown, or the whole process stops.
    public mutating func addService(_ service: any Service, name: String) {
        extraServices.append((service, name))
    }
}
