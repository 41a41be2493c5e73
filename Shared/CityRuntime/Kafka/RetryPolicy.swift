/// How often and how patiently a failing record handler is retried before the record is given up
/// (dead-lettered): `maxRetries` retries after the first attempt, waiting `initialBackoff`, then
/// `multiplier` times longer each time, never longer than `maxBackoff`.
public struct RetryPolicy: Sendable, Equatable {
    public var maxRetries: Int
    public var initialBackoff: Duration
    public var multiplier: Double
    public var maxBackoff: Duration

    public init(maxRetries: Int = 3, initialBackoff: Duration = .milliseconds(100), multiplier: Double = 2, maxBackoff: Duration = .seconds(10)) {
        self.maxRetries = max(0, maxRetries)
        self.initialBackoff = initialBackoff
        self.multiplier = max(1, multiplier)
        self.maxBackoff = maxBackoff
    }

    /// The wait before retry number `retry` (1-based).
    public func backoff(beforeRetry retry: Int) -> Duration {
        var delay = initialBackoff
        var step = 1
        while step < retry && delay < maxBackoff {
            delay = delay * multiplier
            step += 1
        }
        return min(delay, maxBackoff)
    }
}
