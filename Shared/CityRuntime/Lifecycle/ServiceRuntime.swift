import CityKafka
import Hummingbird
import Logging
import PostgresNIO
import Prometheus
import ServiceLifecycle

/// Assembles one service's `ServiceGroup` from validated configuration and runs it to the end.
///
/// Order of start: the Postgres pool, the migration step (readiness flips when done), the extra
/// services (each held until migrations are applied), the HTTP server. Shutdown runs in reverse and
/// is bounded by `configuration.shutdownTimeout`. ``CityService`` is the usual way in; this type
/// exists separately so that tests can run a service in-process and stop it with a ``ShutdownTrigger``.
public struct ServiceRuntime: Sendable {
    public let descriptor: ServiceDescriptor
    public let configuration: RuntimeConfiguration
    public let environment: EnvironmentReader
    public let logger: Logger
    public let metrics: PrometheusCollectorRegistry

    public init(
        descriptor: ServiceDescriptor,
        configuration: RuntimeConfiguration,
        environment: EnvironmentReader,
        logger: Logger,
        metrics: PrometheusCollectorRegistry
    ) {
        self.descriptor = descriptor
        self.configuration = configuration
        self.environment = environment
        self.logger = logger
        self.metrics = metrics
    }

    /// How a run ended.
    public enum Termination: Sendable {
        /// Graceful shutdown completed within the bound.
        case stopped
        /// Graceful shutdown took longer than allowed; what remained was cancelled.
        case shutdownOverran(limit: Duration)
        /// The setup closure threw a configuration error.
        case misconfigured(ConfigurationError)
        /// The database's migrations do not match the binary's.
        case migrationRefused(MigrationError)
        /// Anything else that stopped the service, as a log-safe line.
        case failed(String)
    }

    /// Runs until SIGTERM/SIGINT (when `handlingSignals`) or `trigger` asks for shutdown, or something fails.
    public func run(
        handlingSignals: Bool = true,
        trigger: ShutdownTrigger? = nil,
        configure: sending (inout ServiceSetup) async throws -> Void
    ) async -> Termination {
        var postgresLogger = logger
        postgresLogger[metadataKey: "component"] = "postgres"
        let postgres = PostgresClient(
            configuration: configuration.database.clientConfiguration(
                searchPath: configuration.schema, applicationName: descriptor.name
            ),
            backgroundLogger: postgresLogger
        )
        let readiness = ReadinessChecks()
        let migrated = StartupSignal(name: "migrations")
        readiness.register("database") { try await postgres.query("SELECT 1") }
        readiness.register("migrations") {
            guard migrated.isOpen else { throw NotReady(reason: "migrations have not been applied yet") }
        }
        let kafkaProbe: KafkaReadinessProbe
        do {
            kafkaProbe = try KafkaReadinessProbe(bootstrapServers: configuration.kafkaBootstrapServers, clientID: descriptor.name, logger: logger)
        } catch {
            return .failed("\(descriptor.name) could not create its Kafka client: \(error)")
        }
        readiness.register("kafka", timeout: .seconds(3)) { try await kafkaProbe.check() }

        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: HTTPMetricsMiddleware())
        router.add(middleware: ProblemMiddleware())
        RuntimeRoutes.add(to: router, readiness: readiness, registry: metrics)

        var setup = ServiceSetup(
            descriptor: descriptor, configuration: configuration, environment: environment, logger: logger,
            postgres: postgres, metrics: metrics, readiness: readiness, migrated: migrated, router: router
        )
        do {
            try await configure(&setup)
        } catch let error as ConfigurationError {
            await kafkaProbe.shutdown()
            return .misconfigured(error)
        } catch {
            await kafkaProbe.shutdown()
            return .failed("\(descriptor.name) setup failed: \(PostgresErrorText.describe(error))")
        }

        // In a process of its own, a shutdown stuck past its bound plus the cancellation grace ends
        // the process with exit 1 and the names of the stuck services; in-process (tests) it does not.
        let running = RunningServices()
        let watchdog = handlingSignals
            ? ShutdownWatchdog(limit: configuration.shutdownTimeout + Self.cancellationGrace, running: running, logger: logger)
            : nil
        let clock = ShutdownClock(watchdog: watchdog)
        let group = ServiceGroup(
            configuration: groupConfiguration(
                postgres: postgres, migrated: migrated, setup: setup, router: router, clock: clock, running: running,
                handlingSignals: handlingSignals
            )
        )
        await trigger?.attach(group)
        let outcome: Result<Void, any Error>
        do {
            try await group.run()
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        await kafkaProbe.shutdown()
        if let elapsed = clock.elapsed, elapsed >= configuration.shutdownTimeout {
            return .shutdownOverran(limit: configuration.shutdownTimeout)
        }
        switch outcome {
        case .success: return .stopped
        case .failure(let error as MigrationError): return .migrationRefused(error)
        case .failure(let error): return .failed(PostgresErrorText.describe(error))
        }
    }

    private func groupConfiguration(
        postgres: PostgresClient,
        migrated: StartupSignal,
        setup: ServiceSetup,
        router: Router<BasicRequestContext>,
        clock: ShutdownClock,
        running: RunningServices,
        handlingSignals: Bool
    ) -> ServiceGroupConfiguration {
        let application = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.httpHost, port: configuration.httpPort)),
            logger: logger
        )
        let migrations = MigrationService(
            runner: MigrationRunner(schema: configuration.schema, migrations: descriptor.migrations),
            client: postgres, migrated: migrated, logger: logger
        )
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: postgres, serviceName: "postgres"),
            .init(service: migrations, serviceName: "migrations"),
        ]
        for extra in setup.extraServices {
            let gated = GatedService(inner: extra.service, gate: migrated, description: extra.name)
            services.append(.init(service: gated, serviceName: extra.name))
        }
        let http = ShutdownTimedService(inner: application, clock: clock, description: "http")
        services.append(.init(service: http, serviceName: "http"))
        services = services.map { entry in
            let name = entry.serviceName
            return .init(
                service: TrackedService(inner: entry.service, running: running, description: name) { clock.armWatchdog() },
                successTerminationBehavior: entry.successTerminationBehavior,
                failureTerminationBehavior: entry.failureTerminationBehavior,
                serviceName: name
            )
        }

        var group = ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: handlingSignals ? [.sigterm, .sigint] : [], logger: logger
        )
        group.maximumGracefulShutdownDuration = configuration.shutdownTimeout
        // In process mode the watchdog bounds every way the group ends (graceful shutdown, or a service
        // ending and the others cancelled) and exits 1 naming what is stuck; ServiceLifecycle's own
        // limit would abort the process (SIGABRT, a slow backtrace, no name), so it is off there. A CI
        // run saw exactly that: a service ended during shutdown, the group was cancelled, and the
        // library's 10 s limit fired before the watchdog, armed at the start of graceful shutdown.
        group.maximumCancellationDuration = handlingSignals ? nil : Self.cancellationGrace
        return group
    }

    /// How long cancelled services have to return once graceful shutdown overran its bound.
    static let cancellationGrace: Duration = .seconds(5)
}

/// A readiness probe's answer when a component is up but not ready yet.
public struct NotReady: Error, CustomStringConvertible, Sendable {
    public let reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}
