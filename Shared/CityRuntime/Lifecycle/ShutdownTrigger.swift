import ServiceLifecycle
import Synchronization

/// Starts graceful shutdown of a ``ServiceRuntime`` from code, as SIGTERM would — for tests and
/// embedding. Triggering before the runtime has started makes it shut down as soon as it does.
public final class ShutdownTrigger: Sendable {
    private enum State {
        case waiting(triggered: Bool)
        case attached(ServiceGroup)
    }

    private let state = Mutex(State.waiting(triggered: false))

    public init() {}

    /// Asks the service to shut down gracefully.
    public func trigger() async {
        let group = state.withLock { state -> ServiceGroup? in
            switch state {
            case .waiting: state = .waiting(triggered: true); return nil
            case .attached(let group): return group
            }
        }
        await group?.triggerGracefulShutdown()
    }

    func attach(_ group: ServiceGroup) async {
        let triggered = state.withLock { state -> Bool in
            guard case .waiting(let triggered) = state else { return false }
            state = .attached(group)
            return triggered
        }
        // A group that is not running yet remembers the request and shuts down once started.
        if triggered { await group.triggerGracefulShutdown() }
    }
}
