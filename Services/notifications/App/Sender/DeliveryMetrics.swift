import CityRuntime
import Metrics

/// The sender's Prometheus metrics: `notifications_deliveries_in_flight`,
/// `notifications_claim_seconds` and `notifications_claimed_total` (each claim of due deliveries),
/// `notifications_attempts_total{outcome}` (delivered, failed, forbidden) and
/// `notifications_attempt_seconds` (the HTTP attempt alone).
struct DeliveryMetrics: Sendable {
    private let inFlight = Gauge(label: "notifications_deliveries_in_flight")
    private let claimDuration = Timer(label: "notifications_claim_seconds", preferredDisplayUnit: .seconds)
    private let claimed = Counter(label: "notifications_claimed_total")
    private let delivered = Counter(label: "notifications_attempts_total", dimensions: [("outcome", "delivered")])
    private let failed = Counter(label: "notifications_attempts_total", dimensions: [("outcome", "failed")])
    private let forbidden = Counter(label: "notifications_attempts_total", dimensions: [("outcome", "forbidden")])
    private let attemptDuration = Timer(label: "notifications_attempt_seconds", preferredDisplayUnit: .seconds)

    func inFlight(_ count: Int) { inFlight.record(count) }

    func claimed(_ count: Int, after duration: Duration) {
        claimDuration.record(duration)
        claimed.increment(by: count)
    }

    func attempted(_ result: AttemptResult, after duration: Duration) {
        attemptDuration.record(duration)
        switch result {
        case .delivered: delivered.increment()
        case .failed: failed.increment()
        }
    }

    func forbiddenDropped() { forbidden.increment() }
}
