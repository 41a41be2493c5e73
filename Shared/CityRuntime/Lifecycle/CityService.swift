import Logging
import ServiceLifecycle

/// The entry point of every CityData executable.
///
/// `App.swift` calls ``run(_:environment:configure:)`` with its ``ServiceDescriptor`` and a closure
/// that adds routes, lifecycle services and readiness checks. The runtime then:
/// 1. reads and validates configuration (a problem exits 78 with one line on stderr);
/// 2. installs JSON logging and Prometheus metrics;
/// 3. runs a `ServiceGroup` (see ``ServiceRuntime``): the Postgres pool, the migration step
///    (readiness flips when done), the extra services (each starts once migrations are applied),
///    the HTTP server;
/// 4. on SIGTERM/SIGINT shuts down in reverse: HTTP stops accepting and drains in-flight
///    requests, extra services finish (last added first), the pool closes. If that takes longer
///    than `SHUTDOWN_TIMEOUT_SECONDS` the rest is cancelled and the process exits 1; a clean stop
///    exits 0. See ``ExitCode`` for the others.
public enum CityService {
    public static func run(
        _ descriptor: ServiceDescriptor,
        environment: EnvironmentReader = EnvironmentReader(),
        configure: sending (inout ServiceSetup) async throws -> Void = { _ in }
    ) async -> Never {
        let configuration: RuntimeConfiguration
        do {
            configuration = try RuntimeConfiguration(
                from: environment, defaultPort: descriptor.defaultPort, defaultSchema: descriptor.schema
            )
        } catch {
            ExitCode.configuration.exit(printing: String(describing: error))
        }

        let logger = LoggingBootstrap.bootstrap(service: descriptor.name, level: configuration.logLevel)
        logger.info(
            "starting",
            metadata: [
                "http": "\(configuration.httpHost):\(configuration.httpPort)",
                "database": "\(configuration.database)",
                "schema": "\(configuration.schema)",
                "kafka": "\(configuration.kafkaBootstrapServers)",
                "shutdown_timeout": "\(configuration.shutdownTimeout)",
            ]
        )
        let runtime = ServiceRuntime(
            descriptor: descriptor, configuration: configuration, environment: environment,
            logger: logger, metrics: MetricsBootstrap.bootstrap()
        )
        let termination = await runtime.run(handlingSignals: true, configure: configure)
        exit(with: termination, logger: logger)
    }

    private static func exit(with termination: ServiceRuntime.Termination, logger: Logger) -> Never {
        switch termination {
        case .stopped:
            logger.info("stopped")
            ExitCode.success.exit()
        case .shutdownOverran(let limit):
            let line = "shutdown error: graceful shutdown exceeded SHUTDOWN_TIMEOUT_SECONDS (\(limit)); remaining work was cancelled"
            logger.error("\(line)")
            ExitCode.failure.exit(printing: line)
        case .misconfigured(let error):
            ExitCode.configuration.exit(printing: error.description)
        case .migrationRefused(let error):
            logger.critical("refusing to start", metadata: ["error": "\(error)"])
            ExitCode.migration.exit(printing: error.description)
        case .failed(let reason):
            logger.critical("service failed", metadata: ["error": "\(reason)"])
            ExitCode.failure.exit(printing: "fatal error: \(reason)")
        }
    }
}
