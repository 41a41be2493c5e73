import CityEvents

/// When to try a failed delivery again: a list of delays, one per retry, each spread by a random
/// jitter so that many deliveries failing together do not retry together; after the last delay the
/// delivery is dead-lettered.
///
/// Attempt 1 is the first delivery; when attempt *n* fails, attempt *n + 1* waits `delays[n - 1]`
/// (± jitter). With the default 9 delays a delivery is tried 10 times over about 19 hours.
public struct RetrySchedule: Sendable, Hashable {
    /// The delay before each retry, in order.
    public var delays: [Duration]
    /// The jitter as a fraction of each delay: the actual delay is uniform in
    /// `delay · [1 − jitter, 1 + jitter]`. 0 disables jitter; must be in 0...1.
    public var jitter: Double

    /// The default: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 5 h, 10 h, with ±20 % jitter.
    public static let standard = RetrySchedule(
        uncheckedDelays: [.seconds(5), .seconds(30), .seconds(120), .seconds(600), .seconds(1800), .seconds(3600), .seconds(7200), .seconds(18000), .seconds(36000)],
        jitter: 0.2
    )

    /// A schedule; delays must not be negative and jitter must be within 0...1.
    public init(delays: [Duration], jitter: Double) throws(RetryScheduleError) {
        if let negative = delays.firstIndex(where: { $0 < .zero }) { throw .negativeDelay(index: negative) }
        guard jitter.isFinite, (0...1).contains(jitter) else { throw .jitterOutOfRange(jitter) }
        self.init(uncheckedDelays: delays, jitter: jitter)
    }

    private init(uncheckedDelays: [Duration], jitter: Double) {
        self.delays = uncheckedDelays
        self.jitter = jitter
    }

    /// The most attempts a delivery gets: the first plus one per delay.
    public var maximumAttempts: Int { delays.count + 1 }

    /// What to do after attempt `failedAttempt` (from 1) failed at `failedAt`: retry at a jittered
    /// time, or dead-letter. `generator` draws the jitter (inject a seeded one in tests).
    public func decision<Generator: RandomNumberGenerator>(
        afterFailedAttempt failedAttempt: Int, at failedAt: Timestamp, using generator: inout Generator
    ) -> RetryDecision {
        guard failedAttempt >= 1, failedAttempt <= delays.count else {
            return .deadLetter(attempts: max(failedAttempt, 0))
        }
        let base = Double(delays[failedAttempt - 1].wholeMilliseconds)
        let factor = jitter > 0 ? Double.random(in: (1 - jitter)...(1 + jitter), using: &generator) : 1
        let delay = Int64((base * factor).rounded())
        return .retry(attempt: failedAttempt + 1, at: failedAt.adding(milliseconds: delay), delay: .milliseconds(delay))
    }

    /// The same, with the system's generator.
    public func decision(afterFailedAttempt failedAttempt: Int, at failedAt: Timestamp) -> RetryDecision {
        var generator = SystemRandomNumberGenerator()
        return decision(afterFailedAttempt: failedAttempt, at: failedAt, using: &generator)
    }
}

/// What happens to a delivery after a failed attempt.
public enum RetryDecision: Sendable, Hashable {
    /// Try again: attempt number `attempt`, not before `at` (`delay` after the failure).
    case retry(attempt: Int, at: Timestamp, delay: Duration)
    /// Give up after `attempts` attempts: record a dead letter (`DeliveryStatus.deadLettered`).
    case deadLetter(attempts: Int)
}

/// A retry schedule that cannot work.
public enum RetryScheduleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The delay at this index is negative.
    case negativeDelay(index: Int)
    /// The jitter is not a fraction within 0...1.
    case jitterOutOfRange(Double)

    public var description: String {
        switch self {
        case .negativeDelay(let index): return "retry delay #\(index + 1) is negative; delays must be zero or more"
        case .jitterOutOfRange(let value): return "retry jitter \(value) is outside 0...1; use a fraction such as 0.2"
        }
    }
}
