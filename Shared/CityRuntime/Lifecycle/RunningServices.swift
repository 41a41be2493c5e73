import ServiceLifecycle
import Synchronization

/// The names of a service group's services that are still running, so that a shutdown that hangs
/// can say which service holds it up.
final class RunningServices: Sendable {
    private let names = Mutex<[String]>([])

    func started(_ name: String) { names.withLock { $0.append(name) } }

    func finished(_ name: String) {
        names.withLock { names in
            if let index = names.firstIndex(of: name) { names.remove(at: index) }
        }
    }

    /// Still running, in start order.
    var current: [String] { names.withLock { $0 } }
}

/// Runs `inner` and keeps ``RunningServices`` told whether it is still running. When it ends — on
/// shutdown, by returning early or by throwing — `ended` runs: a service that ends makes the group
/// cancel the others, and that cancellation must be bounded too (the watchdog is armed).
struct TrackedService: Service, CustomStringConvertible {
    let inner: any Service
    let running: RunningServices
    let description: String
    let ended: @Sendable () -> Void

    func run() async throws {
        running.started(description)
        defer {
            running.finished(description)
            ended()
        }
        try await inner.run()
    }
}
