/// Wakes the sender when the fan-out has queued deliveries, so that a new delivery is claimed at
/// once instead of at the sender's next poll. Rings coalesce: any number of rings while the sender
/// is busy wake it once. Only this process's sender hears it; other replicas find the rows at
/// their next poll (`DELIVERY_POLL_INTERVAL_SECONDS`).
struct Doorbell: Sendable {
    private let rings: AsyncStream<Void>
    private let ringer: AsyncStream<Void>.Continuation

    init() {
        (rings, ringer) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func ring() { ringer.yield() }

    /// Returns at the next ring (at once if one came since the last call), or `false` once the
    /// waiting task is cancelled. One listener at a time.
    func nextRing() async -> Bool {
        var iterator = rings.makeAsyncIterator()
        return await iterator.next() != nil
    }
}
