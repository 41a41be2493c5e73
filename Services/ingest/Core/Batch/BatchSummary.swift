/// The answer to an upload (`202 Accepted`), also what `GET /v1/batches/{id}` returns and what a
/// repeated `Idempotency-Key` replays.
public struct BatchSummary: Sendable, Hashable, Codable {
    /// The batch id (`b_` + 26 characters), also the `batchId` of its rejection events.
    public var batchId: String
    /// The dataset of the upload (CSV), or the datasets its records named (JSON, NDJSON).
    public var datasetIds: [String]
    /// Records accepted and acknowledged by Kafka.
    public var accepted: Int
    /// Records refused (see `errors`).
    public var rejected: Int
    /// Records that repeated an earlier record of the same upload (same dataset, source and time):
    /// published once.
    public var duplicates: Int
    /// Why records were refused, in order; at most ``BatchSummary/maxListedErrors``.
    public var errors: [RecordError]
    /// Whether `errors` was cut at ``BatchSummary/maxListedErrors``.
    public var errorsTruncated: Bool
    /// When the upload was received (RFC 3339).
    public var receivedAt: String
    /// `accepted` (some or all records published), `rejected` (none).
    public var status: String

    /// The most errors a summary lists; the rest are counted in `rejected` and published as events.
    public static let maxListedErrors = 1_000

    public init(batchId: String, datasetIds: [String], accepted: Int, rejected: Int, duplicates: Int, errors: [RecordError], errorsTruncated: Bool, receivedAt: String) {
        self.batchId = batchId
        self.datasetIds = datasetIds
        self.accepted = accepted
        self.rejected = rejected
        self.duplicates = duplicates
        self.errors = errors
        self.errorsTruncated = errorsTruncated
        self.receivedAt = receivedAt
        self.status = accepted > 0 || rejected == 0 ? "accepted" : "rejected"
    }
}
