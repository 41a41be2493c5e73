import Metrics

extension Metrics.Timer {
    /// Records `duration` (a Swift `Duration`, to the nanosecond).
    public func record(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
