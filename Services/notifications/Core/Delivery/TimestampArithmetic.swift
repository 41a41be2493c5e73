import CityEvents

extension Timestamp {
    /// This instant moved by `milliseconds` (offset kept).
    public func adding(milliseconds: Int64) -> Timestamp {
        // |nanoseconds + (ms % 1000) · 10⁶| < 2·10⁹ fits Int32; the initialiser carries into seconds.
        let nanos = Int64(nanoseconds) + (milliseconds % 1000) * 1_000_000
        return Timestamp(
            secondsSinceEpoch: secondsSinceEpoch + milliseconds / 1000,
            nanoseconds: Int32(nanos),
            utcOffsetMinutes: utcOffsetMinutes
        )
    }

    /// This instant moved by `duration`, to the millisecond.
    public func adding(_ duration: Duration) -> Timestamp {
        adding(milliseconds: duration.wholeMilliseconds)
    }
}

extension Duration {
    /// Whole milliseconds (rounded toward zero).
    public var wholeMilliseconds: Int64 {
        let parts = components
        return parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000
    }
}
