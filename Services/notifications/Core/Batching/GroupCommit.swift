/// Group commit without a background task: callers submit items, and one of them at a time — the
/// flusher — writes everything submitted so far in one `flush`. The others wait until the batch
/// holding their item is written (and see its error if it failed). When the flusher's batch is
/// done it hands the role to the longest-waiting caller, which writes its own item and everything
/// that arrived meanwhile; so under load one flush carries many items, alone an item is written at
/// once, and no caller waits for more than the batch in flight and its own.
public actor GroupCommit<Item: Sendable> {
    /// What a waiting caller is told when it is resumed.
    private enum Turn: Sendable {
        /// Its item was written by another caller's flush.
        case written
        /// It is the flusher now: its item is not written yet.
        case flushNext
    }

    private struct Waiter {
        var item: Item
        var turn: CheckedContinuation<Turn, any Error>
    }

    private var waiting: [Waiter] = []
    private var flushing = false

    public init() {}

    /// Callers waiting for the flush in progress (their items not yet written).
    public var waitingCount: Int { waiting.count }

    /// Adds `item` and returns once it was written by `flush` (in this call or another caller's);
    /// throws the error of the flush that carried it.
    public func submit(_ item: Item, flush: @Sendable ([Item]) async throws -> Void) async throws {
        if flushing {
            let turn = try await withCheckedThrowingContinuation { waiting.append(Waiter(item: item, turn: $0)) }
            if case .written = turn { return }
        } else {
            flushing = true
        }
        // This caller is the flusher: its item and everyone waiting now go in one batch.
        let carried = waiting
        waiting = []
        var failure: (any Error)?
        do {
            try await flush([item] + carried.map(\.item))
            for waiter in carried { waiter.turn.resume(returning: .written) }
        } catch {
            for waiter in carried { waiter.turn.resume(throwing: error) }
            failure = error
        }
        if waiting.isEmpty {
            flushing = false
        } else {
            waiting.removeFirst().turn.resume(returning: .flushNext)
        }
        if let failure { throw failure }
    }
}
