import CityKafka

/// Decides when a replica that reads compacted topics from the beginning has caught up with what the
/// topics held when it started: every partition has been read up to its high watermark of that moment.
///
/// The last offsets before a high watermark can be transaction markers, which a consumer never sees;
/// so a partition also counts as read when records stopped arriving for `settle` after at least one
/// record of it was seen, and every partition counts as read after `giveUp` without any record since
/// assignment (an empty log whose offsets are all markers or compacted away).
public struct CatchUpProgress: Sendable {
    /// High watermarks at start, per partition.
    public private(set) var targets: [TopicPartition: Int64]?
    /// Last offset read, per partition.
    public private(set) var lastRead: [TopicPartition: Int64] = [:]
    /// When the consumer last received records, or was assigned partitions.
    public private(set) var lastActivity: ContinuousClock.Instant?
    /// Whether the replica caught up (it stays so).
    public private(set) var isCaughtUp = false

    let settle: Duration
    let giveUp: Duration

    /// Creates the tracker; `settle` and `giveUp` bound the waits described above.
    public init(settle: Duration = .seconds(2), giveUp: Duration = .seconds(10)) {
        self.settle = settle
        self.giveUp = giveUp
    }

    /// Records the high watermarks read at start.
    public mutating func setTargets(_ targets: [TopicPartition: Int64], now: ContinuousClock.Instant) {
        self.targets = targets
        evaluate(now: now)
    }

    /// Records that partitions were assigned.
    public mutating func assigned(now: ContinuousClock.Instant) {
        lastActivity = now
    }

    /// Records a record read.
    public mutating func read(_ partition: TopicPartition, offset: Int64, now: ContinuousClock.Instant) {
        lastRead[partition] = max(lastRead[partition] ?? -1, offset)
        lastActivity = now
        evaluate(now: now)
    }

    /// Re-evaluates with the passing of time.
    public mutating func evaluate(now: ContinuousClock.Instant) {
        guard !isCaughtUp, let targets else { return }
        let pending = targets.filter { partition, high in high > 0 && (lastRead[partition] ?? -1) + 1 < high }
        if pending.isEmpty {
            isCaughtUp = true
            return
        }
        guard let lastActivity else { return }
        let idle = now - lastActivity
        let unseen = pending.keys.contains { lastRead[$0] == nil }
        if idle >= (unseen ? giveUp : settle) { isCaughtUp = true }
    }
}
