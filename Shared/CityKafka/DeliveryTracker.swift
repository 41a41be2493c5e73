import Synchronization

/// Collects the delivery reports of one `send` call and resumes the caller when the last one arrived.
///
/// Each record of the call gets a slot whose address is the record's librdkafka opaque; the delivery
/// callback (on the poll thread) finds the tracker and the record's index through it.
/// `outcomes` is raw memory on purpose: one lock-free write per record on the hot path. The tracker is
/// kept alive by the awaiting caller until every slot has reported, so the callback never outlives it.
final class DeliveryTracker: @unchecked Sendable {
    // @unchecked: `slots` is written once before any record is enqueued; the rest is behind `state`.
    struct Slot {
        var tracker: UnsafeMutableRawPointer
        var index: Int
    }

    /// The raw outcome of one record, as the delivery callback saw it.
    struct Outcome {
        var partition: Int32 = -1
        var offset: Int64 = -1
        var error: KafkaError?
    }

    let slots: UnsafeMutablePointer<Slot>
    /// Each index is written exactly once (by the delivery callback, or by the sender when enqueueing
    /// failed) before `remaining` is decremented; read only after `remaining` reached zero.
    private let outcomes: UnsafeMutablePointer<Outcome>
    private let count: Int
    private let remaining: Atomic<Int>
    private let continuation = Mutex<CheckedContinuation<Void, Never>?>(nil)
    private let finished = Mutex(false)

    init(count: Int) {
        self.count = count
        self.remaining = Atomic(count)
        self.outcomes = .allocate(capacity: max(count, 1))
        self.outcomes.initialize(repeating: Outcome(), count: count)
        self.slots = .allocate(capacity: max(count, 1))
        let selfPointer = Unmanaged.passUnretained(self).toOpaque()
        for index in 0..<count {
            (slots + index).initialize(to: Slot(tracker: selfPointer, index: index))
        }
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
        outcomes.deinitialize(count: count)
        outcomes.deallocate()
    }

    /// The opaque pointer librdkafka carries for record `index`.
    func opaque(for index: Int) -> UnsafeMutableRawPointer { UnsafeMutableRawPointer(slots + index) }

    /// Records where record `index` was written (delivery callback, on the poll thread: no allocation).
    func delivered(index: Int, partition: Int32, offset: Int64) {
        outcomes[index].partition = partition
        outcomes[index].offset = offset
        countDown()
    }

    /// Records that record `index` failed (delivery callback, or at once when enqueueing failed).
    func failed(index: Int, error: KafkaError) {
        outcomes[index].error = error
        countDown()
    }

    private func countDown() {
        guard remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 else { return }
        let waiting = continuation.withLock { current -> CheckedContinuation<Void, Never>? in
            finished.withLock { $0 = true }
            defer { current = nil }
            return current
        }
        waiting?.resume()
    }

    /// Waits until every record has an outcome; `topics` names each record's topic for the reports.
    func results(topics: (Int) -> String) async -> [Result<KafkaDeliveryReport, KafkaError>] {
        await waitForAll()
        return (0..<count).map { index in
            let outcome = outcomes[index]
            if let error = outcome.error { return .failure(error) }
            return .success(KafkaDeliveryReport(topic: topics(index), partition: outcome.partition, offset: outcome.offset))
        }
    }

    /// Waits until every record has an outcome; the first failure in record order, if any.
    func firstFailure() async -> KafkaError? {
        await waitForAll()
        for index in 0..<count { if let error = outcomes[index].error { return error } }
        return nil
    }

    private func waitForAll() async {
        await withCheckedContinuation { waiting in
            let done = continuation.withLock { current -> Bool in
                if finished.withLock({ $0 }) { return true }
                current = waiting
                return false
            }
            if done { waiting.resume() }
        }
        _ = remaining.load(ordering: .acquiring)
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
