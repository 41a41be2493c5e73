import Metrics
import PostgresNIO

/// The outbox relay's Prometheus metrics, labelled with the outbox's schema:
/// `outbox_oldest_unsent_seconds` (age of the lowest unsent row, measured at every sweep — 0 when
/// nothing waits; an alert above a minute means events are committed but do not reach Kafka) and
/// `outbox_relayed_total` (rows published and marked sent).
struct OutboxMetrics: Sendable {
    private let oldestUnsent: Gauge
    private let relayed: Counter

    init(schema: SQLIdentifier) {
        oldestUnsent = Gauge(label: "outbox_oldest_unsent_seconds", dimensions: [("schema", schema.name)])
        relayed = Counter(label: "outbox_relayed_total", dimensions: [("schema", schema.name)])
    }

    func oldestUnsent(seconds: Double) { oldestUnsent.record(seconds) }

    func relayed(_ count: Int) { relayed.increment(by: count) }
}
