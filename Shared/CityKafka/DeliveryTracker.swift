import Synchronization

/// Collects the delivery reports of one `send` call and resumes the caller when the last one arrived.
///
/// Each record of the call gets a slot whose address is the record's librdkafka opaque; the delivery
/// callback (on the poll thread) finds the tracker and the record's index through it. The tracker is
/// kept alive by the awaiting caller until every slot has reported, so the callback never outlives it.
final class DeliveryTracker: @unchecked Sendable {
    // @unchecked: `slots` is written once before any record is enqueued; the rest is behind `state`.
    struct Slot {
        var tracker: UnsafeMutableRawPointer
        var index: Int
    }

    private struct State {
        var results: [Result<KafkaDeliveryReport, KafkaError>?]
        var remaining: Int
        var continuation: CheckedContinuation<[Result<KafkaDeliveryReport, KafkaError>], Never>?
    }

    let slots: UnsafeMutablePointer<Slot>
    private let count: Int
    private let state: Mutex<State>

    init(count: Int) {
        self.count = count
        self.state = Mutex(State(results: Array(repeating: nil, count: count), remaining: count, continuation: nil))
        self.slots = .allocate(capacity: max(count, 1))
        let selfPointer = Unmanaged.passUnretained(self).toOpaque()
        for index in 0..<count {
            (slots + index).initialize(to: Slot(tracker: selfPointer, index: index))
        }
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    /// The opaque pointer librdkafka carries for record `index`.
    func opaque(for index: Int) -> UnsafeMutableRawPointer { UnsafeMutableRawPointer(slots + index) }

    /// Records the outcome of one record (from the delivery callback, or at once when enqueueing failed).
    func complete(index: Int, with result: Result<KafkaDeliveryReport, KafkaError>) {
        let continuation = state.withLock { state -> CheckedContinuation<[Result<KafkaDeliveryReport, KafkaError>], Never>? in
            guard state.results[index] == nil else { return nil }
            state.results[index] = result
            state.remaining -= 1
            guard state.remaining == 0, let continuation = state.continuation else { return nil }
            state.continuation = nil
            return continuation
        }
        continuation?.resume(returning: finalResults())
    }

    /// Waits until every record has an outcome.
    func results() async -> [Result<KafkaDeliveryReport, KafkaError>] {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                if state.remaining == 0 { return true }
                state.continuation = continuation
                return false
            }
            if done { continuation.resume(returning: finalResults()) }
        }
    }

    private func finalResults() -> [Result<KafkaDeliveryReport, KafkaError>] {
        state.withLock { state in state.results.map { $0! } }
    }

    /// Finds the tracker and index behind a record's opaque pointer.
    static func resolve(_ opaque: UnsafeMutableRawPointer) -> (DeliveryTracker, Int) {
        let slot = opaque.assumingMemoryBound(to: Slot.self).pointee
        return (Unmanaged<DeliveryTracker>.fromOpaque(slot.tracker).takeUnretainedValue(), slot.index)
    }
}

/// Wakes senders that found librdkafka's local queue full once deliveries have freed room.
///
/// A generation counter avoids lost wake-ups: a sender notes the generation before it tries to
/// enqueue and waits only if no delivery has been served since.
final class CapacitySignal: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    var generation: UInt64 { state.withLock { $0.generation } }

    /// Called by the poll thread after it served events.
    func advance() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.generation &+= 1
            defer { state.waiters.removeAll(keepingCapacity: true) }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the generation has moved past `seen`.
    func wait(after seen: UInt64) async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool in
                if state.generation != seen { return true }
                state.waiters.append(continuation)
                return false
            }
            if ready { continuation.resume() }
        }
    }
}
