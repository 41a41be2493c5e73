import IngestCore
import Synchronization

/// Per-agency request rate limit of this process (a token bucket per agency). With several ingest
/// replicas each enforces its own share; the limit is a guard against floods, not billing.
final class RateLimiter: Sendable {
    private let buckets = Mutex<[String: TokenBucket]>([:])
    private let ratePerSecond: Double
    private let burst: Double
    private let clock = ContinuousClock()
    private let origin: ContinuousClock.Instant

    init(ratePerSecond: Int, burst: Int) {
        self.ratePerSecond = Double(ratePerSecond)
        self.burst = Double(burst)
        self.origin = clock.now
    }

    /// `nil` when the agency may go ahead, otherwise the seconds to wait.
    func take(agencyId: String) -> Int? {
        let elapsed = clock.now - origin
        let now = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return buckets.withLock { buckets in
            var bucket = buckets[agencyId] ?? TokenBucket(ratePerSecond: ratePerSecond, burst: burst, now: now)
            let wait = bucket.take(now: now)
            buckets[agencyId] = bucket
            return wait
        }
    }
}
