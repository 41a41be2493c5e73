import CityRuntime
import CityEvents
import IngestCore
import Metrics

/// Ingest's Prometheus metrics (request latency comes from the runtime's HTTP middleware):
/// `ingest_records_total{outcome}`, `ingest_records_rejected_total{reason}`,
/// `ingest_kafka_ack_seconds`, `ingest_archive_records_total`, `ingest_archive_lag_seconds{worker}`.
struct IngestMetrics: Sendable {
    private let accepted = Counter(label: "ingest_records_total", dimensions: [("outcome", "accepted")])
    private let duplicate = Counter(label: "ingest_records_total", dimensions: [("outcome", "duplicate")])
    private let rejected: [RecordError.Code: Counter] = Dictionary(
        uniqueKeysWithValues: RecordError.Code.allCases.map { ($0, Counter(label: "ingest_records_rejected_total", dimensions: [("reason", $0.rawValue)])) }
    )
    private let kafkaAck = Timer(label: "ingest_kafka_ack_seconds", preferredDisplayUnit: .seconds)
    private let archived = Counter(label: "ingest_archive_records_total")

    func recordOutcome(accepted count: Int, duplicates: Int, errors: [RecordError.Code: Int]) {
        if count > 0 { accepted.increment(by: count) }
        if duplicates > 0 { duplicate.increment(by: duplicates) }
        for (code, number) in errors { rejected[code]?.increment(by: number) }
    }

    func kafkaAcknowledged(after duration: Duration) {
        kafkaAck.record(duration)
    }

    /// The lag gauge of one archive worker (each owns different partitions, so each has its own lag).
    func archiveLag(worker: Int) -> Gauge {
        Gauge(label: "ingest_archive_lag_seconds", dimensions: [("worker", "\(worker)")])
    }

    /// A batch was archived; `oldestAppendMilliseconds` is the Kafka timestamp of its first record.
    func archived(_ count: Int, oldestAppendMilliseconds: Int64?, lag: Gauge) {
        archived.increment(by: count)
        if let oldest = oldestAppendMilliseconds {
            lag.record(max(0, Double(Timestamp.now().secondsSinceEpoch * 1_000 - oldest) / 1_000))
        }
    }
}
