import Synchronization

/// What a consumer reports besides records: its partitions moving, and errors it carried on through.
public enum KafkaConsumerEvent: Sendable {
    case assigned([TopicPartition])
    case revoked([TopicPartition])
    /// A non-fatal error (a broker unreachable, the member thrown out for a slow handler); the
    /// consumer carries on.
    case error(KafkaError)
}

/// The state the poll thread and the Swift side share: the hand-off buffer, the waiting iterator,
/// the current assignment and the commands the poll thread must run.
final class ConsumerShared: Sendable {
    enum Command: Sendable {
        case commit(CheckedContinuation<Result<Void, KafkaError>, Never>)
        case pause
        case resume
    }

    struct State {
        var buffer: [KafkaConsumerRecord] = []
        var waiter: CheckedContinuation<Result<[KafkaConsumerRecord], KafkaError>?, Never>?
        var terminalError: KafkaError?
        var finished = false
        var closeRequested = false
        var closeWaiters: [CheckedContinuation<Void, Never>] = []
        var commands: [Command] = []
        /// The epoch under which each partition is currently assigned.
        var assignment: [TopicPartition: UInt64] = [:]
        var nextEpoch: UInt64 = 1
        var activeStoreCalls = 0
    }

    let state = Mutex(State())
    let batchSize: Int

    init(batchSize: Int) { self.batchSize = batchSize }

    /// Hands records to the iterator (called by the poll thread).
    func deliver(_ records: [KafkaConsumerRecord]) {
        guard !records.isEmpty else { return }
        let waiter = state.withLock { state -> CheckedContinuation<Result<[KafkaConsumerRecord], KafkaError>?, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.buffer.append(contentsOf: records)
            return nil
        }
        waiter?.resume(returning: .success(records))
    }

    var hasRoom: Bool { state.withLock { $0.buffer.count < batchSize || $0.waiter != nil } }

    /// The next records, waiting when none are buffered; `nil` at the end of the stream.
    func take() async throws(KafkaError) -> [KafkaConsumerRecord]? {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<[KafkaConsumerRecord], KafkaError>?, Never>) in
            let immediate = state.withLock { state -> Result<[KafkaConsumerRecord], KafkaError>?? in
                if state.closeRequested { return .some(nil) }
                if !state.buffer.isEmpty {
                    defer { state.buffer.removeAll(keepingCapacity: true) }
                    return .some(.success(state.buffer))
                }
                if let error = state.terminalError {
                    state.terminalError = nil
                    return .some(.failure(error))
                }
                if state.finished { return .some(nil) }
                state.waiter = continuation
                return nil
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
        return try result?.get()
    }

    /// Ends the stream: the waiting iterator gets `error` or the end.
    func finish(error: KafkaError?) {
        let (waiter, closeWaiters) = state.withLock { state in
            state.finished = true
            let waiter = state.waiter
            state.waiter = nil
            if waiter == nil, let error { state.terminalError = error }
            let closeWaiters = state.closeWaiters
            state.closeWaiters = []
            return (waiter, closeWaiters)
        }
        waiter?.resume(returning: error.map { .failure($0) })
        for closeWaiter in closeWaiters { closeWaiter.resume() }
    }

    /// Asks the poll thread to close; the waiting iterator sees the end of the stream.
    func requestClose() {
        let waiter = state.withLock { state in
            state.closeRequested = true
            let waiter = state.waiter
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: nil)
    }

    func waitUntilFinished() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state -> Bool in
                if state.finished { return true }
                state.closeWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Records a new assignment and drops nothing; returns the epoch the partitions get.
    func assign(_ partitions: [TopicPartition]) {
        state.withLock { state in
            let epoch = state.nextEpoch
            state.nextEpoch += 1
            for partition in partitions { state.assignment[partition] = epoch }
        }
    }

    /// Forgets revoked partitions and drops their buffered records: their next owner reads them again
    /// from the committed offset, so nothing is lost and no offset past them is ever stored.
    func revoke(_ partitions: [TopicPartition]) {
        let revoked = Set(partitions)
        state.withLock { state in
            for partition in partitions { state.assignment[partition] = nil }
            state.buffer.removeAll { revoked.contains($0.topicPartition) }
        }
    }

    func epoch(of partition: TopicPartition) -> UInt64? { state.withLock { $0.assignment[partition] } }
}
