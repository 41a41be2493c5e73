import Synchronization

/// A one-way latch: closed until `open()`, then open for good. Waiters resume when it opens.
///
/// The runtime opens it when migrations are applied; readiness reads it, and extra services wait
/// on it so that consumers never touch tables that do not exist yet.
public final class StartupSignal: Sendable {
    private enum State {
        case closed(waiters: [UInt64: CheckedContinuation<Void, any Error>], nextID: UInt64)
        case open
    }

    /// Thrown by ``wait()`` when the waiting task is cancelled.
    public struct Cancelled: Error, CustomStringConvertible {
        public var description: String { "cancelled while waiting for startup" }
    }

    public let name: String
    private let state = Mutex(State.closed(waiters: [:], nextID: 0))

    public init(name: String) {
        self.name = name
    }

    /// Whether `open()` was called.
    public var isOpen: Bool {
        state.withLock { if case .open = $0 { true } else { false } }
    }

    /// Opens the latch and resumes every waiter.
    public func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            guard case .closed(let waiters, _) = state else { return [] }
            state = .open
            return Array(waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the latch is open; throws ``Cancelled`` if the task is cancelled first.
    public func wait() async throws {
        let id = state.withLock { state -> UInt64? in
            guard case .closed(let waiters, let nextID) = state else { return nil }
            state = .closed(waiters: waiters, nextID: nextID + 1)
            return nextID
        }
        guard let id else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: Result<Void, any Error>? = state.withLock { state in
                    guard case .closed(var waiters, let nextID) = state else { return .success(()) }
                    if Task.isCancelled { return .failure(Cancelled()) }
                    waiters[id] = continuation
                    state = .closed(waiters: waiters, nextID: nextID)
                    return nil
                }
                if let resumeNow { continuation.resume(with: resumeNow) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                guard case .closed(var waiters, let nextID) = state, let waiter = waiters.removeValue(forKey: id) else { return nil }
                state = .closed(waiters: waiters, nextID: nextID)
                return waiter
            }
            waiter?.resume(throwing: Cancelled())
        }
    }
}
