import Dispatch
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ends the process with exit status 1 when shutdown is still not finished `limit` after it began
/// (`SHUTDOWN_TIMEOUT_SECONDS` plus a grace for cancellation) — graceful shutdown, or the first
/// service ending, whichever comes first — naming the services still running.
///
/// Without it a service that ignores cancellation makes ServiceLifecycle stop the process with
/// `fatalError` (SIGABRT, no hint of the culprit). The timer runs on a Dispatch queue, not on the
/// cooperative pool, so it fires even when every Swift task is stuck.
final class ShutdownWatchdog: Sendable {
    private let limit: Duration
    private let running: RunningServices
    private let logger: Logger
    private let armed = Mutex(false)

    init(limit: Duration, running: RunningServices, logger: Logger) {
        self.limit = limit
        self.running = running
        self.logger = logger
    }

    /// Starts the countdown; later calls do nothing.
    func arm() {
        let first = armed.withLock { wasArmed in
            defer { wasArmed = true }
            return !wasArmed
        }
        guard first else { return }
        let nanoseconds = limit.components.seconds * 1_000_000_000 + limit.components.attoseconds / 1_000_000_000
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(nanoseconds))) { [self] in
            expire()
        }
    }

    private func expire() {
        let stuck = running.current
        let line = "shutdown error: shutdown did not finish within \(limit) even after cancellation; still running: \(stuck.joined(separator: ", ")); exiting"
        logger.critical("\(line)", metadata: ["still_running": .array(stuck.map { .string($0) })])
        LineWriter.write(line, to: 2)
        // `_exit`, not `exit`: other threads are still inside librdkafka and NIO; no atexit work.
        _exit(ExitCode.failure.rawValue)
    }
}
