import ArgumentParser
import CityRuntime
import ServiceLifecycle

/// `stuck`: a CityData service (the runtime as every executable runs it) with one extra service that
/// ignores cancellation once shutdown begins — to check that a stuck shutdown ends with exit 1 and
/// the culprit's name, not with ServiceLifecycle's abort.
struct StuckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stuck",
        abstract: "A service whose shutdown never finishes (reads the usual service environment)."
    )

    @Option(help: "Seconds after which another service fails (the group is cancelled without any SIGTERM).")
    var failAfter: Double?

    func run() async throws {
        let descriptor = ServiceDescriptor(name: "stuck_probe", defaultPort: 8099, migrations: [])
        let failAfter = self.failAfter
        await CityService.run(descriptor) { setup in
            setup.addService(IgnoresCancellation(), name: "stuck-worker")
            if let failAfter { setup.addService(FailsAfter(delay: .milliseconds(Int(failAfter * 1000))), name: "failing-worker") }
        }
    }
}

/// Throws after `delay`: a service that fails while the process runs.
private struct FailsAfter: Service {
    let delay: Duration
    struct Failed: Error {}
    func run() async throws {
        try await Task.sleep(for: delay)
        throw Failed()
    }
}

/// Waits for graceful shutdown, then on a continuation nobody resumes: cancellation cannot reach it.
private struct IgnoresCancellation: Service {
    func run() async throws {
        try? await gracefulShutdown()
        await withUnsafeContinuation { (_: UnsafeContinuation<Void, Never>) in }
    }
}
