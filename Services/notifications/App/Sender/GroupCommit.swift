/// Group commit without a background task: callers submit items; the first caller that finds no
/// flush running becomes the flusher and flushes everything submitted meanwhile, batch after batch,
/// until nothing is left; the others wait until the batch holding their item has been flushed (and
/// see its error, if it failed). Under load one flush carries many items; alone, an item is
/// flushed at once.
actor GroupCommit<Item: Sendable> {
    private var waiting: [(item: Item, done: CheckedContinuation<Void, any Error>?)] = []
    private var flushing = false

    /// Adds `item` and returns once it was flushed with `flush` (by this caller or another).
    func submit(_ item: Item, flush: @Sendable ([Item]) async throws -> Void) async throws {
        guard !flushing else {
            try await withCheckedThrowingContinuation { continuation in waiting.append((item, continuation)) }
            return
        }
        flushing = true
        defer { flushing = false }
        waiting.append((item, nil))
        var ownError: (any Error)?
        while !waiting.isEmpty {
            let batch = waiting
            waiting = []
            do {
                try await flush(batch.map(\.item))
                for entry in batch { entry.done?.resume() }
            } catch {
                for entry in batch {
                    if let done = entry.done { done.resume(throwing: error) } else { ownError = error }
                }
            }
        }
        if let ownError { throw ownError }
    }
}
