import CityEvents

/// The `updatedAt` of a new snapshot: now, in UTC, at microsecond precision (what Postgres keeps),
/// and always later than the entity's previous stamp, so that consumers that keep the snapshot with
/// the latest `updatedAt` never keep an older state, even when the clock steps back.
public enum ChangeStamp {
    /// A stamp strictly after `previous` (when given), normally `now`.
    public static func next(after previous: Timestamp?, now: Timestamp = .now()) -> Timestamp {
        let current = microseconds(now)
        guard let previous else { return stamp(current) }
        return stamp(max(current, microseconds(previous) + 1))
    }

    private static func microseconds(_ time: Timestamp) -> Int64 {
        time.secondsSinceEpoch * 1_000_000 + Int64(time.nanoseconds / 1_000)
    }

    private static func stamp(_ microseconds: Int64) -> Timestamp {
        let seconds = microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
        let remainder = microseconds - seconds * 1_000_000
        return Timestamp(secondsSinceEpoch: seconds, nanoseconds: Int32(remainder * 1_000))
    }
}
