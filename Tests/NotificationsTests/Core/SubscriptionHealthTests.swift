import CityEvents
import NotificationsCore
import Testing

/// Consecutive failures, suspension, pause and resume.
@Suite("Subscription health")
struct SubscriptionHealthTests {
    static func time(_ seconds: Int64) -> Timestamp { Timestamp(secondsSinceEpoch: 1_743_440_400 + seconds) }

    @Test("failed attempts update the last failure but only dead letters count toward suspension")
    func attemptsVersusDeliveries() {
        var health = SubscriptionHealth()
        let policy = HealthPolicy(suspendAfterConsecutiveFailures: 2)
        for second in 0..<30 { health.recordFailedAttempt(at: Self.time(Int64(second)), error: "HTTP 503") }
        #expect(health.status == .active)
        #expect(health.consecutiveFailedAttempts == 30)
        #expect(health.consecutiveFailures == 0)
        #expect(health.lastFailureAt == Self.time(29))
        #expect(health.lastError == "HTTP 503")
        let suspended1 = health.recordDeadLetter(at: Self.time(30), error: "timeout", policy: policy)
        #expect(suspended1 == false)
        #expect(health.consecutiveFailures == 1)
    }

    @Test("the Nth consecutive dead letter suspends, once; a success in between resets the count")
    func suspension() {
        let policy = HealthPolicy(suspendAfterConsecutiveFailures: 3)
        var health = SubscriptionHealth()
        let suspended2 = health.recordDeadLetter(at: Self.time(1), error: "HTTP 500", policy: policy)
        #expect(!suspended2)
        let suspended3 = health.recordDeadLetter(at: Self.time(2), error: "HTTP 500", policy: policy)
        #expect(!suspended3)
        health.recordSuccess(at: Self.time(3))
        #expect(health.consecutiveFailures == 0 && health.consecutiveFailedAttempts == 0)
        #expect(health.lastSuccessAt == Self.time(3))
        let suspended4 = health.recordDeadLetter(at: Self.time(4), error: "HTTP 500", policy: policy)
        #expect(!suspended4)
        let suspended5 = health.recordDeadLetter(at: Self.time(5), error: "HTTP 500", policy: policy)
        #expect(!suspended5)
        let suspended6 = health.recordDeadLetter(at: Self.time(6), error: "HTTP 500", policy: policy)
        #expect(suspended6)
        #expect(health.status == .suspended)
        #expect(health.suspendedAt == Self.time(6))
        #expect(!health.isDeliverable)
        let suspended7 = health.recordDeadLetter(at: Self.time(7), error: "HTTP 500", policy: policy)
        #expect(!suspended7, "already suspended")
        #expect(HealthPolicy.standard.suspendAfterConsecutiveFailures == 20)
    }

    @Test("pause stops deliveries, does not lift a suspension, and resume restarts with clean counters")
    func pauseAndResume() {
        var health = SubscriptionHealth()
        health.pause()
        #expect(health.status == .paused && !health.isDeliverable)
        health.resume()
        #expect(health.status == .active && health.isDeliverable)

        let policy = HealthPolicy(suspendAfterConsecutiveFailures: 1)
        health.recordDeadLetter(at: Self.time(1), error: "refused", policy: policy)
        health.pause()
        #expect(health.status == .suspended)
        health.resume()
        #expect(health.status == .active)
        #expect(health.consecutiveFailures == 0 && health.suspendedAt == nil)
        #expect(health.lastFailureAt == Self.time(1), "history is kept")
    }
}
