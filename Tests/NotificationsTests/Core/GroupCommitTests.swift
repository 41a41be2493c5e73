import NotificationsCore
import Synchronization
import Testing

/// The group commit that records successful deliveries: batching, errors, hand-over.
@Suite("Group commit", .timeLimit(.minutes(1)))
struct GroupCommitTests {
    /// The batches a flush was called with.
    final class Flushes: Sendable {
        private let batches = Mutex<[[String]]>([])
        func note(_ batch: [String]) { batches.withLock { $0.append(batch) } }
        var all: [[String]] { batches.withLock { $0 } }
    }

    /// Holds flushes until opened.
    actor Gate {
        private var open = false
        private var waiters: [CheckedContinuation<Void, Never>] = []
        func wait() async {
            if open { return }
            await withCheckedContinuation { waiters.append($0) }
        }
        func release() {
            open = true
            for waiter in waiters { waiter.resume() }
            waiters = []
        }
    }

    struct Refused: Error, Equatable { var batch: [String] }

    /// Waits until `count` callers wait behind the flush in progress.
    static func waitUntil(_ commit: GroupCommit<String>, hasWaiting count: Int) async throws {
        while await commit.waitingCount < count { try await Task.sleep(for: .milliseconds(1)) }
    }

    @Test("Every item is written exactly once, and concurrent callers share flushes")
    func everyItemOnceInSharedBatches() async throws {
        let commit = GroupCommit<String>()
        let flushes = Flushes()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    try await commit.submit("item-\(index)") { batch in
                        flushes.note(batch)
                        try await Task.sleep(for: .milliseconds(5))
                    }
                }
            }
            try await group.waitForAll()
        }
        let written = flushes.all.flatMap { $0 }
        #expect(written.sorted() == (0..<200).map { "item-\($0)" }.sorted(), "each item in exactly one flush")
        #expect(flushes.all.count < 200, "callers that arrive during a flush are written together (\(flushes.all.count) flushes)")
    }

    @Test("A failed flush fails every caller whose item it carried, and only those")
    func failureReachesItsBatchOnly() async throws {
        let commit = GroupCommit<String>()
        let flushes = Flushes()
        let gate = Gate()
        let flush: @Sendable ([String]) async throws -> Void = { batch in
            flushes.note(batch)
            if batch.contains("a") { await gate.wait() }
            if batch.contains("poison") { throw Refused(batch: batch) }
        }
        let first = Task { try await commit.submit("a", flush: flush) }
        while flushes.all.isEmpty { try await Task.sleep(for: .milliseconds(1)) }
        // "a" is being written; "poison" and "c" wait and will be written together, after it.
        let poisoned = Task { try await commit.submit("poison", flush: flush) }
        try await Self.waitUntil(commit, hasWaiting: 1)
        let carried = Task { try await commit.submit("c", flush: flush) }
        try await Self.waitUntil(commit, hasWaiting: 2)
        await gate.release()

        try await first.value
        await #expect(throws: Refused(batch: ["poison", "c"])) { try await poisoned.value }
        await #expect(throws: Refused(batch: ["poison", "c"]), "the item written with a failing one sees the failure") { try await carried.value }
        try await commit.submit("d", flush: flush)
        #expect(flushes.all == [["a"], ["poison", "c"], ["d"]])
    }

    @Test("The flusher returns when its own batch is written; a waiting caller writes the next")
    func flusherHandsOver() async throws {
        let commit = GroupCommit<String>()
        let flushes = Flushes()
        let firstGate = Gate(), secondGate = Gate()
        let flush: @Sendable ([String]) async throws -> Void = { batch in
            flushes.note(batch)
            await (batch.contains("a") ? firstGate : secondGate).wait()
        }
        let first = Task { try await commit.submit("a", flush: flush) }
        while flushes.all.isEmpty { try await Task.sleep(for: .milliseconds(1)) }
        let second = Task { try await commit.submit("b", flush: flush) }
        try await Self.waitUntil(commit, hasWaiting: 1)
        await firstGate.release()
        // "b"'s flush stays blocked: the first caller must return without writing it (a flusher that
        // drained the queue itself would hang here until the suite's time limit).
        try await first.value
        while flushes.all.count < 2 { try await Task.sleep(for: .milliseconds(1)) }
        #expect(flushes.all == [["a"], ["b"]], "the waiting caller became the flusher of its own batch")
        await secondGate.release()
        try await second.value
    }
}
