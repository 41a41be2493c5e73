import ServiceLifecycle
import Synchronization

/// Notes when graceful shutdown began, so the runtime can tell a clean stop from one that
/// overran `SHUTDOWN_TIMEOUT_SECONDS` and was cut short by cancellation; arms the
/// ``ShutdownWatchdog`` (when there is one) at that moment.
final class ShutdownClock: Sendable {
    private let startedAt = Mutex<ContinuousClock.Instant?>(nil)
    private let watchdog: ShutdownWatchdog?

    init(watchdog: ShutdownWatchdog? = nil) { self.watchdog = watchdog }

    func markStarted() {
        startedAt.withLock { if $0 == nil { $0 = .now } }
        watchdog?.arm()
    }

    /// A service of the group ended: the group is shutting down or being cancelled; bound it.
    func armWatchdog() { watchdog?.arm() }

    /// Time since shutdown began, or `nil` if it never did.
    var elapsed: Duration? {
        startedAt.withLock { $0.map { ContinuousClock.now - $0 } }
    }
}

/// Wraps the service shut down first (HTTP) to start the ``ShutdownClock`` when shutdown is triggered.
struct ShutdownTimedService: Service, CustomStringConvertible {
    let inner: any Service
    let clock: ShutdownClock
    let description: String

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await inner.run()
        } onGracefulShutdown: {
            clock.markStarted()
        }
    }
}
