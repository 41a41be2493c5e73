/// A token bucket: `burst` requests at once, refilled at `ratePerSecond`. Pure — the caller passes the
/// time — so the same value is unit-tested and used per agency by the rate limiter.
public struct TokenBucket: Sendable, Equatable {
    public let ratePerSecond: Double
    public let burst: Double
    private var tokens: Double
    private var updatedAt: Double

    /// A full bucket at time `now` (seconds on any monotonic clock).
    public init(ratePerSecond: Double, burst: Double, now: Double) {
        self.ratePerSecond = ratePerSecond
        self.burst = burst
        self.tokens = burst
        self.updatedAt = now
    }

    /// Takes one token: `nil` when allowed, otherwise the whole seconds to wait (≥ 1) for `Retry-After`.
    public mutating func take(now: Double) -> Int? {
        tokens = min(burst, tokens + max(0, now - updatedAt) * ratePerSecond)
        updatedAt = now
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        let wait = (1 - tokens) / ratePerSecond
        return max(1, Int(wait.rounded(.up)))
    }
}
