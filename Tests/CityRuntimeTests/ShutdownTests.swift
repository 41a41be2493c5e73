import CityTestSupport
import CityRuntime
import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import Synchronization
import Testing

@Suite("Start order and bounded shutdown (in-process runtime, real Postgres)")
struct ShutdownTests {
    /// Records what an extra service saw: whether migrations were applied when it started, and
    /// whether HTTP still answered when its own shutdown began.
    final class Observations: Sendable {
        let state = Mutex<(migratedAtStart: Bool?, httpAnsweredAtShutdown: Bool?)>((nil, nil))
    }

    struct ObservingService: Service {
        let migrated: StartupSignal
        let http: HTTPProbe
        let observations: Observations

        func run() async throws {
            let migratedNow = migrated.isOpen
            observations.state.withLock { $0.migratedAtStart = migratedNow }
            try? await gracefulShutdown()
            let answered = (try? await http.get("/health/live")) != nil
            observations.state.withLock { $0.httpAnsweredAtShutdown = answered }
        }
    }

    /// Ignores graceful shutdown; only cancellation stops it.
    struct StubbornService: Service {
        func run() async throws {
            try await Task.sleep(for: .seconds(60))
        }
    }

    static func runtime(for role: ServiceRole, port: Int, shutdownTimeout: Duration) throws -> ServiceRuntime {
        let configuration = RuntimeConfiguration(
            httpHost: "127.0.0.1", httpPort: port, database: try TestDatabase.url(for: role), schema: role.schema,
            kafkaBootstrapServers: try LiveKafka.bootstrapServers(), shutdownTimeout: shutdownTimeout
        )
        let descriptor = ServiceDescriptor(
            name: "shutdown-test", defaultPort: port, schema: role.schema,
            migrations: [Migration(version: 1, name: "t", sql: "CREATE TABLE t (v int)")]
        )
        return ServiceRuntime(
            descriptor: descriptor, configuration: configuration, environment: EnvironmentReader([:]),
            logger: TestDatabase.logger, metrics: PrometheusCollectorRegistry()
        )
    }

    @Test func extraServicesStartAfterMigrationsAndStopAfterHTTP() async throws {
        try await TestDatabase.withServiceRoles("order", count: 1) { roles in
            let port = try freeTCPPort()
            let http = HTTPProbe(base: URL(string: "http://127.0.0.1:\(port)")!)
            let observations = Observations()
            let trigger = ShutdownTrigger()
            let runtime = try Self.runtime(for: roles[0], port: port, shutdownTimeout: .seconds(10))
            async let termination = runtime.run(handlingSignals: false, trigger: trigger) { setup in
                setup.addService(ObservingService(migrated: setup.migrated, http: http, observations: observations), name: "observer")
            }
            let ready = try await http.waitFor("/health/ready", status: 200, within: .seconds(20))
            #expect(ready?.status == 200)
            await trigger.trigger()
            guard case .stopped = await termination else {
                Issue.record("expected a clean stop, got \(await termination)")
                return
            }
            let seen = observations.state.withLock { $0 }
            #expect(seen.migratedAtStart == true)
            #expect(seen.httpAnsweredAtShutdown == false)
        }
    }

    @Test func shutdownOverrunningItsBoundIsReported() async throws {
        try await TestDatabase.withServiceRoles("slow", count: 1) { roles in
            let port = try freeTCPPort()
            let http = HTTPProbe(base: URL(string: "http://127.0.0.1:\(port)")!)
            let trigger = ShutdownTrigger()
            let runtime = try Self.runtime(for: roles[0], port: port, shutdownTimeout: .seconds(1))
            async let termination = runtime.run(handlingSignals: false, trigger: trigger) { setup in
                setup.addService(StubbornService(), name: "stubborn")
            }
            _ = try await http.waitFor("/health/ready", status: 200, within: .seconds(20))
            let started = ContinuousClock.now
            await trigger.trigger()
            let result = await termination
            guard case .shutdownOverran(let limit) = result else {
                Issue.record("expected an overrun, got \(result)")
                return
            }
            #expect(limit == .seconds(1))
            #expect(ContinuousClock.now - started < .seconds(8))
        }
    }
}
