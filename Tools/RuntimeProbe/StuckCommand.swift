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

    func run() async throws {
        let descriptor = ServiceDescriptor(name: "stuck_probe", defaultPort: 8099, migrations: [])
        await CityService.run(descriptor) { setup in
            setup.addService(IgnoresCancellation(), name: "stuck-worker")
        }
    }
}

/// Waits for graceful shutdown, then on a continuation nobody resumes: cancellation cannot reach it.
private struct IgnoresCancellation: Service {
    func run() async throws {
        try? await gracefulShutdown()
        await withUnsafeContinuation { (_: UnsafeContinuation<Void, Never>) in }
    }
}
