import CityEvents

/// Whether a subscription receives deliveries.
public enum SubscriptionStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// Deliveries flow.
    case active
    /// The subscriber paused it; nothing is delivered until it resumes.
    case paused
    /// The service stopped it after too many consecutive failed deliveries; the subscriber resumes it
    /// once the endpoint works again.
    case suspended
}

/// When a failing subscription is suspended.
public struct HealthPolicy: Sendable, Hashable {
    /// Consecutive failed deliveries (dead letters, i.e. deliveries whose every attempt failed) that
    /// suspend the subscription. Counting deliveries rather than attempts means a short outage of a
    /// busy endpoint does not suspend it: only an endpoint down for longer than a whole retry
    /// schedule does.
    public var suspendAfterConsecutiveFailures: Int

    /// The default: 20.
    public static let standard = HealthPolicy(suspendAfterConsecutiveFailures: 20)

    /// A policy; the threshold is at least 1.
    public init(suspendAfterConsecutiveFailures: Int) {
        self.suspendAfterConsecutiveFailures = max(1, suspendAfterConsecutiveFailures)
    }
}

/// A subscription's delivery health, updated after every attempt (a row of the App's
/// `subscriptions` table, updated in the same transaction as the delivery it reflects).
public struct SubscriptionHealth: Sendable, Hashable, Codable {
    /// Active, paused or suspended.
    public private(set) var status: SubscriptionStatus
    /// Deliveries in a row that ended as dead letters, since the last successful attempt.
    public private(set) var consecutiveFailures: Int
    /// Attempts in a row that failed, since the last successful attempt (for display and alerting).
    public private(set) var consecutiveFailedAttempts: Int
    /// When an attempt last succeeded.
    public private(set) var lastSuccessAt: Timestamp?
    /// When an attempt last failed.
    public private(set) var lastFailureAt: Timestamp?
    /// What went wrong last, e.g. `HTTP 503` or `connection refused`.
    public private(set) var lastError: String?
    /// When the service suspended the subscription.
    public private(set) var suspendedAt: Timestamp?

    /// A new, active subscription.
    public init() {
        status = .active
        consecutiveFailures = 0
        consecutiveFailedAttempts = 0
    }

    /// A health as stored: the App loads it from its `subscriptions` row, applies one change and
    /// writes it back in the same transaction.
    public init(
        status: SubscriptionStatus, consecutiveFailures: Int, consecutiveFailedAttempts: Int, lastSuccessAt: Timestamp?,
        lastFailureAt: Timestamp?, lastError: String?, suspendedAt: Timestamp?
    ) {
        self.status = status
        self.consecutiveFailures = max(0, consecutiveFailures)
        self.consecutiveFailedAttempts = max(0, consecutiveFailedAttempts)
        self.lastSuccessAt = lastSuccessAt
        self.lastFailureAt = lastFailureAt
        self.lastError = lastError
        self.suspendedAt = suspendedAt
    }

    /// Whether deliveries should be made.
    public var isDeliverable: Bool { status == .active }

    /// A successful attempt: the failure counters reset.
    public mutating func recordSuccess(at time: Timestamp) {
        lastSuccessAt = time
        consecutiveFailures = 0
        consecutiveFailedAttempts = 0
    }

    /// A failed attempt that will be retried.
    public mutating func recordFailedAttempt(at time: Timestamp, error: String) {
        lastFailureAt = time
        lastError = error
        consecutiveFailedAttempts += 1
    }

    /// A failed last attempt: the delivery is dead-lettered. Returns `true` when this suspended the
    /// subscription (the App then records it and tells the subscriber).
    @discardableResult
    public mutating func recordDeadLetter(at time: Timestamp, error: String, policy: HealthPolicy) -> Bool {
        recordFailedAttempt(at: time, error: error)
        consecutiveFailures += 1
        guard status == .active, consecutiveFailures >= policy.suspendAfterConsecutiveFailures else { return false }
        status = .suspended
        suspendedAt = time
        return true
    }

    /// The subscriber pauses deliveries. A suspended subscription stays suspended.
    public mutating func pause() {
        if status == .active { status = .paused }
    }

    /// The subscriber resumes a paused or suspended subscription; the failure counters start again.
    public mutating func resume() {
        status = .active
        suspendedAt = nil
        consecutiveFailures = 0
        consecutiveFailedAttempts = 0
    }
}
