import Synchronization

/// Wakes a loop that otherwise polls: `signal()` from anywhere, `wait(upTo:)` in the loop returns at
/// the first signal since the last wait, or when the timeout ends — whichever is first. Signals
/// coalesce (any number while the loop is busy wake it once).
///
/// Why not an `AsyncStream`: racing a stream's `next()` against a sleep cancels the `next()` when the
/// sleep wins, and a cancelled `next()` finishes the stream for good — from then on every wait
/// returns at once and the loop spins. Here a timed-out wait leaves the signal as it was.
public final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Bool, Never>] = [:]
        /// Waiters cancelled before they could park (their wait ends at once).
        var cancelledEarly: Set<Int> = []
    }

    private let state = Mutex(State())

    public init() {}

    /// Wakes every waiting `wait`, or the next one when none waits.
    public func signal() {
        let waiting = state.withLock { state -> [CheckedContinuation<Bool, Never>] in
            guard !state.waiters.isEmpty else {
                state.pending = true
                return []
            }
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for continuation in waiting { continuation.resume(returning: true) }
    }

    /// Returns `true` at a signal (at once if one came since the last wait), `false` when `timeout`
    /// passed, or the task was cancelled, without one.
    @discardableResult
    public func wait(upTo timeout: Duration) async -> Bool {
        if state.withLock({ state in defer { state.pending = false }; return state.pending }) { return true }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            group.addTask { await self.nextSignal() }
            var signalled = await group.next() ?? false
            group.cancelAll()
            // A signal that raced the timeout still counts (it is not lost).
            while let other = await group.next() { signalled = signalled || other }
            return signalled
        }
    }

    /// Returns `true` at a signal (at once if one came since the last wait), `false` when the task
    /// is cancelled without one.
    @discardableResult
    public func wait() async -> Bool { await nextSignal() }

    /// Parks until a signal (`true`), or until the task is cancelled (`false`).
    private func nextSignal() async -> Bool {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        let signalled = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let resumeNow = state.withLock { state -> Bool? in
                    if state.cancelledEarly.remove(id) != nil { return false }
                    if state.pending {
                        state.pending = false
                        return true
                    }
                    state.waiters[id] = continuation
                    return nil
                }
                if let resumeNow { continuation.resume(returning: resumeNow) }
            }
        } onCancel: {
            let parked = state.withLock { state -> CheckedContinuation<Bool, Never>? in
                guard let continuation = state.waiters.removeValue(forKey: id) else {
                    state.cancelledEarly.insert(id)
                    return nil
                }
                return continuation
            }
            parked?.resume(returning: false)
        }
        // A cancellation that came after a signal had already resumed this waiter left its id behind.
        state.withLock { _ = $0.cancelledEarly.remove(id) }
        return signalled
    }
}
