import CityKafka
import Synchronization

/// A bounded hand-off between the task that reads a `KafkaConsumer` and the task that handles its
/// records, so that the handling loop can stop at a record boundary (graceful shutdown) and take
/// "what is there" as a batch without waiting for the next record.
///
/// `close()` makes `next` return `nil` and drops what the reader still appends; those records were
/// never handled, so their offsets were never stored and the group delivers them again.
final class RecordBuffer: Sendable {
    private struct State {
        var records: [KafkaConsumerRecord] = []
        var closed = false
        var ended = false
        var failure: KafkaError?
        var taker: CheckedContinuation<Void, Never>?
        var filler: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Reads `consumer` until its iteration ends (after `close()` of the consumer) or fails.
    func fill(from consumer: KafkaConsumer) async {
        do {
            var records = consumer.records.makeAsyncIterator()
            while let batch = try await records.nextBatch() { await append(contentsOf: batch) }
            finish(nil)
        } catch {
            finish(error)
        }
    }

    /// Appends `records` in order, as many at a time as there is room for, waiting while the buffer
    /// is full; drops the rest once the buffer is closed.
    func append(contentsOf records: [KafkaConsumerRecord]) async {
        var start = 0
        while start < records.count {
            let (appended, taker) = state.withLock { state -> (Int, CheckedContinuation<Void, Never>?) in
                if state.closed { return (records.count - start, nil) }
                let room = capacity - state.records.count
                guard room > 0 else { return (0, nil) }
                let count = min(room, records.count - start)
                if start == 0 && count == records.count && state.records.isEmpty {
                    state.records = records  // the common case: the whole batch, no copy
                } else {
                    state.records.append(contentsOf: records[start..<(start + count)])
                }
                let taker = state.taker
                state.taker = nil
                return (count, taker)
            }
            taker?.resume()
            start += appended
            if appended > 0 { continue }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if state.closed || state.records.count < capacity { return true }
                    state.filler = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        }
    }

    /// Up to `limit` records, waiting for at least one; `nil` once closed or the reader ended.
    func next(limit: Int) async throws(KafkaError) -> [KafkaConsumerRecord]? {
        while true {
            if let outcome = try takeAvailable(limit: limit) { return outcome.isEmpty ? nil : outcome }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if state.closed || state.ended || state.failure != nil || !state.records.isEmpty { return true }
                    state.taker = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        }
    }

    /// Up to `limit` records already buffered, without waiting: `[]` at the end, `nil` when nothing
    /// is buffered yet.
    func takeAvailable(limit: Int) throws(KafkaError) -> [KafkaConsumerRecord]? {
        let (result, filler) = state.withLock { state -> (Result<[KafkaConsumerRecord]?, KafkaError>, CheckedContinuation<Void, Never>?) in
            if state.closed { return (.success([]), nil) }
            if !state.records.isEmpty {
                let batch: [KafkaConsumerRecord]
                if state.records.count <= limit {
                    batch = state.records  // handed over whole: no copy of the records
                    state.records = []
                } else {
                    batch = Array(state.records.prefix(limit))
                    state.records.removeFirst(limit)
                }
                let filler = state.filler
                state.filler = nil
                return (.success(batch), filler)
            }
            if let failure = state.failure {
                state.failure = nil
                return (.failure(failure), nil)
            }
            return (.success(state.ended ? [] : nil), nil)
        }
        filler?.resume()
        return try result.get()
    }

    /// Stops handing out records and wakes both sides.
    func close() {
        let (taker, filler) = state.withLock { state in
            state.closed = true
            defer { state.taker = nil; state.filler = nil }
            return (state.taker, state.filler)
        }
        taker?.resume()
        filler?.resume()
    }

    private func finish(_ error: (any Error)?) {
        let taker = state.withLock { state in
            state.ended = true
            if let error { state.failure = (error as? KafkaError) ?? KafkaError(code: .state, message: "\(error)", operation: "consume") }
            defer { state.taker = nil }
            return state.taker
        }
        taker?.resume()
    }
}
