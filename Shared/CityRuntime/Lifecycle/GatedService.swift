import ServiceLifecycle

/// Runs `inner` only once `gate` opens; if shutdown comes first, returns without running it.
struct GatedService: Service, CustomStringConvertible {
    let inner: any Service
    let gate: StartupSignal
    let description: String

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await gate.wait() }
        } catch is StartupSignal.Cancelled {
            return
        } catch is CancellationError {
            return
        }
        try await inner.run()
    }
}
