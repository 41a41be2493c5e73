import Logging
import ServiceLifecycle

/// Runs `services` in one `ServiceGroup`, started in order and stopped in reverse order, shutting
/// down gracefully on SIGTERM and SIGINT — for tools and test probes that need lifecycle services
/// (a Postgres pool, a consumer, a relay) without the HTTP server and readiness of `ServiceRuntime`.
public func runStandaloneServices(_ services: [any Service], logger: Logger) async throws {
    let group = ServiceGroup(
        configuration: ServiceGroupConfiguration(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
    )
    try await group.run()
}
