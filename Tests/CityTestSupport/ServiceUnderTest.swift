import CityRuntime
import Foundation
import Testing

/// One of the four service executables running as a child process against the test Postgres (a
/// fresh role and schema of its own, so tests run in parallel) and a Kafka cluster. It can be
/// killed and started again on the same schema, for crash tests.
public final class ServiceUnderTest: @unchecked Sendable {
    // @unchecked: `child` is replaced only by `start()`/`kill()`, which a test calls sequentially.
    public let name: String
    public let port: Int
    public let role: ServiceRole
    public let environment: [String: String]
    public private(set) var child: ChildProcess?

    /// The service's HTTP client.
    public var http: HTTPProbe { HTTPProbe(port: port) }

    init(name: String, role: ServiceRole, kafka: String, extraEnvironment: [String: String]) throws {
        self.name = name
        self.role = role
        self.port = try freeTCPPort()
        var environment = [
            "HTTP_HOST": "127.0.0.1", "HTTP_PORT": String(port), "KAFKA_BOOTSTRAP_SERVERS": kafka,
            "DATABASE_URL": try TestDatabase.url(for: role).unredactedString, "DATABASE_SCHEMA": role.schema.name,
            "SHUTDOWN_TIMEOUT_SECONDS": "10", "LOG_LEVEL": "warning",
        ]
        environment.merge(extraEnvironment) { _, extra in extra }
        self.environment = environment
    }

    /// Starts the process and waits until `/health/ready` answers 200.
    @discardableResult
    public func start(readyWithin limit: Duration = .seconds(60)) async throws -> ChildProcess {
        let child = try ChildProcess(name, environment: environment)
        self.child = child
        let ready = try await http.waitFor("/health/ready", status: 200, within: limit)
        guard ready?.status == 200 else {
            throw ExpectationTimedOut(description: "\(name) not ready within \(limit): \(ready?.body ?? "no answer"); stderr: \(child.standardError.suffix(3000)); stdout: \(child.standardOutput.suffix(3000))")
        }
        return child
    }

    /// SIGKILL, and waits for the process to be gone.
    public func kill() async throws {
        guard let child else { return }
        child.signal(SIGKILL)
        _ = try await child.waitForExit(within: .seconds(10))
    }

    /// SIGTERM, and the exit status.
    public func stop(within limit: Duration = .seconds(30)) async throws -> Int32 {
        guard let child else { return 0 }
        child.terminate()
        return try await child.waitForExit(within: limit)
    }

    /// Runs `body` with the service `name` started on a fresh role and schema; stops it afterwards.
    public static func with<Result: Sendable>(
        _ name: String, kafka: String, environment: [String: String] = [:],
        _ body: @Sendable (ServiceUnderTest) async throws -> Result
    ) async throws -> Result {
        try await TestDatabase.withServiceRoles(String(name.prefix(6)), count: 1) { roles in
            let service = try ServiceUnderTest(name: name, role: roles[0], kafka: kafka, extraEnvironment: environment)
            let result: Swift.Result<Result, any Error>
            do {
                try await service.start()
                result = .success(try await body(service))
            } catch { result = .failure(error) }
            if service.child?.isRunning == true { _ = try? await service.stop() }
            return try result.get()
        }
    }
}
