import CatalogCore
import CityEvents
import CityKafka
import CityRuntime
import Foundation
import PostgresNIO

/// Dataset freshness: the observations consumer's tally (per dataset and source: the latest
/// `observedAt` and a count) and the late flag. Each change of the flag publishes the dataset's new
/// snapshot through the outbox, in the transaction that changes it.
struct FreshnessRepository: Sendable {
    let database: CatalogDatabase
    let rule: FreshnessRule
    private var logger: Logger { database.logger }

    /// Applies a batch of `city.observations.v1` records inside the exactly-once sink's transaction.
    /// Records that do not decode, or name no dataset of this catalog, are skipped.
    func apply(_ records: [KafkaConsumerRecord], on connection: PostgresConnection) async throws {
        var tally = ObservationTally()
        for record in records {
            let headers = record.headers.map { EventHeader(name: $0.name, value: $0.value ?? []) }
            guard let event = try? EventCodec.decode(ObservationRecorded.self, headers: headers, value: record.value) else { continue }
            tally.add(datasetID: event.payload.datasetId, sourceID: event.payload.sourceId, observedAt: event.payload.observedAt)
        }
        var lateDatasets: Set<String> = []
        for (key, entry) in tally.entries {
            let latest = entry.latest.utc.rfc3339
            try await connection.query(
                """
                INSERT INTO source_freshness (dataset_id, source_id, last_observed_at, observations)
                SELECT id, \(key.sourceID), \(latest)::timestamptz, \(entry.count) FROM datasets WHERE id = \(key.datasetID)
                ON CONFLICT (dataset_id, source_id) DO UPDATE
                SET last_observed_at = greatest(source_freshness.last_observed_at, excluded.last_observed_at),
                    observations = source_freshness.observations + excluded.observations
                """, logger: logger)
            let late = try await connection.values(
                """
                UPDATE datasets SET last_observed_at = greatest(last_observed_at, \(latest)::timestamptz), observations = observations + \(entry.count)
                WHERE id = \(key.datasetID) RETURNING late
                """, as: Bool.self, logger: logger)
            if late.first == true { lateDatasets.insert(key.datasetID) }
        }
        for id in lateDatasets { try await reevaluate(id, now: .now(), on: connection) }
    }

    /// Re-evaluates every dataset whose late flag no longer matches the rule, each in its own
    /// transaction; returns how many changed.
    @discardableResult
    func checkAll(now: Timestamp) async throws -> Int {
        let rows = try await database.postgres.withConnection { connection in
            try await connection.rows(
                """
                SELECT id, document->>'updateFrequency', to_json(last_observed_at) #>> '{}', to_json(created_at) #>> '{}', late FROM datasets
                """, as: (String, String, String?, String, Bool).self, logger: logger)
        }
        var changed = 0
        for row in rows where isLate(frequency: row.1, lastObservedAt: row.2, createdAt: row.3, now: now) != row.4 {
            if try await database.transaction({ connection in try await reevaluate(row.0, now: now, on: connection) }) { changed += 1 }
        }
        return changed
    }

    /// Locks the dataset, applies the rule, and on a change stores the flag and publishes the
    /// snapshot (with a new `updatedAt`). `true` when the flag changed.
    @discardableResult
    private func reevaluate(_ id: String, now: Timestamp, on connection: PostgresConnection) async throws -> Bool {
        guard
            let row = try await connection.rows(
                """
                SELECT document->>'updateFrequency', to_json(last_observed_at) #>> '{}', to_json(created_at) #>> '{}', late
                FROM datasets WHERE id = \(id) FOR UPDATE
                """, as: (String, String?, String, Bool).self, logger: logger
            ).first
        else { return false }
        let late = isLate(frequency: row.0, lastObservedAt: row.1, createdAt: row.2, now: now)
        guard late != row.3, var snapshot = try await DatasetRepository(database: database).find(id, on: connection, lock: false) else { return false }
        snapshot.updatedAt = ChangeStamp.next(after: snapshot.updatedAt)
        snapshot.freshness = DatasetFreshness(lastObservedAt: snapshot.freshness?.lastObservedAt, late: late)
        let document = try DatasetRepository.document(snapshot)
        try await connection.query(
            """
            UPDATE datasets SET late = \(late), document = \(document)::jsonb,
                updated_at = \(snapshot.updatedAt.rfc3339)::timestamptz
            WHERE id = \(id)
            """, logger: logger)
        try await database.publish(snapshot, on: connection)
        logger.info("dataset freshness changed", metadata: ["dataset": "\(id)", "late": "\(late)"])
        return true
    }

    private func isLate(frequency: String, lastObservedAt: String?, createdAt: String, now: Timestamp) -> Bool {
        guard let frequency = ISODuration(frequency), let created = timestamp(fromJSONText: createdAt) else { return false }
        return rule.isLate(frequency: frequency, lastObservedAt: timestamp(fromJSONText: lastObservedAt), createdAt: created, now: now)
    }
}
