import CityRuntime
import Foundation
import IngestCore
import Logging
import PostgresNIO

/// A batch as stored: the HTTP status it was answered with and the summary body.
struct StoredBatch: Sendable {
    var statusCode: Int
    var summaryJSON: String
}

/// Batches in `<schema>.batches`: the report of each upload and the replay of a repeated
/// `Idempotency-Key`.
struct BatchRepository: Sendable {
    let client: PostgresClient
    let schema: SQLIdentifier
    let logger: Logger

    /// The batch an agency stored under `idempotencyKey`, if any.
    func find(agencyId: String, idempotencyKey: String) async throws -> StoredBatch? {
        let rows = try await client.query(
            "SELECT status_code, summary::text FROM \(unescaped: schema.quoted).batches WHERE agency_id = \(agencyId) AND idempotency_key = \(idempotencyKey)",
            logger: logger
        )
        for try await (status, summary) in rows.decode((Int16, String?).self) {
            return StoredBatch(statusCode: Int(status), summaryJSON: summary ?? "{}")
        }
        return nil
    }

    /// The batch `id` if it belongs to `agencyId`.
    func find(id: UUID, agencyId: String) async throws -> StoredBatch? {
        let rows = try await client.query(
            "SELECT status_code, summary::text FROM \(unescaped: schema.quoted).batches WHERE id = \(id) AND agency_id = \(agencyId)",
            logger: logger
        )
        for try await (status, summary) in rows.decode((Int16, String?).self) {
            return StoredBatch(statusCode: Int(status), summaryJSON: summary ?? "{}")
        }
        return nil
    }

    /// Stores a batch; when another request stored the same idempotency key first, returns that one
    /// instead (the caller answers with it).
    func insert(id: UUID, agencyId: String, idempotencyKey: String?, statusCode: Int, summary: BatchSummary, summaryJSON: String) async throws -> StoredBatch {
        let errorsJSON = String(decoding: try JSONEncoder().encode(summary.errors), as: UTF8.self)
        let rows = try await client.query(
            """
            INSERT INTO \(unescaped: schema.quoted).batches
                (id, agency_id, idempotency_key, accepted, rejected, duplicates, errors, status_code, dataset_ids, summary)
            VALUES (\(id), \(agencyId), \(idempotencyKey), \(summary.accepted), \(summary.rejected), \(summary.duplicates),
                    \(errorsJSON)::jsonb, \(Int16(statusCode)), \(summary.datasetIds), \(summaryJSON)::jsonb)
            ON CONFLICT (agency_id, idempotency_key) DO NOTHING
            RETURNING id
            """,
            logger: logger
        )
        for try await _ in rows { return StoredBatch(statusCode: statusCode, summaryJSON: summaryJSON) }
        if let idempotencyKey, let earlier = try await find(agencyId: agencyId, idempotencyKey: idempotencyKey) { return earlier }
        return StoredBatch(statusCode: statusCode, summaryJSON: summaryJSON)
    }
}
