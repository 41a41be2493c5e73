import Foundation
import Synchronization

/// A dedicated OS thread that runs librdkafka's blocking calls (polls with a timeout, flush, close),
/// so that they never occupy a thread of Swift's cooperative pool.
///
/// The thread runs `body` until it returns; `stop()` asks the body to finish through `isStopping`.
final class PollThread: Sendable {
    private let state = Mutex<State>(State())
    private let finished = Mutex<[CheckedContinuation<Void, Never>]?>([])

    private struct State {
        var stopping = false
    }

    /// Starts the thread at once. `body` receives this object to check `isStopping`.
    init(name: String, body: @escaping @Sendable (PollThread) -> Void) {
        let thread = Thread { [self] in
            body(self)
            let waiters = finished.withLock { waiters -> [CheckedContinuation<Void, Never>] in
                let current = waiters ?? []
                waiters = nil
                return current
            }
            for waiter in waiters { waiter.resume() }
        }
        thread.name = name
        thread.start()
    }

    var isStopping: Bool { state.withLock { $0.stopping } }

    /// Asks the body to return at its next check.
    func stop() { state.withLock { $0.stopping = true } }

    /// Waits until the body has returned.
    func join() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let alreadyDone = finished.withLock { waiters -> Bool in
                guard waiters != nil else { return true }
                waiters!.append(continuation)
                return false
            }
            if alreadyDone { continuation.resume() }
        }
    }
}

/// Runs one blocking closure on a fresh thread and hands its result to the awaiting task; for rare,
/// slow librdkafka calls (metadata, admin requests, watermark queries) that have no poll thread.
func runOnDedicatedThread<T: Sendable>(name: String, _ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
        let thread = Thread { continuation.resume(returning: body()) }
        thread.name = name
        thread.start()
    }
}

extension Thread {
    /// Sleeps the current (dedicated) thread; never call from a Swift task.
    static func sleepWithinPoll(milliseconds: Int) {
        Thread.sleep(forTimeInterval: Double(milliseconds) / 1000)
    }
}
