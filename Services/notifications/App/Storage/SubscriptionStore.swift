import CityEvents
import Foundation
import Logging
import NotificationsCore
import PostgresNIO

/// What a subscriber may change with `PATCH /v1/subscriptions/{id}` (absent = unchanged).
struct SubscriptionChange: Sendable {
    var filter: SubscriptionFilter?
    var url: String?
    var paused: Bool?
    var throttleSeconds: Int?
}

/// A subscription as the fan-out needs it: who it belongs to and what it wants.
struct ActiveSubscription: Sendable {
    var id: UUID
    var agencyId: String
    var filter: SubscriptionFilter
    /// At most one delivery per this many seconds and key (0: every event).
    var throttleSeconds: Int
}

/// The SQL of the `subscriptions` table. Every read and write is scoped to the owning agency, so an
/// agency can neither see nor change another agency's subscription.
struct SubscriptionStore: Sendable {
    let postgres: PostgresClient
    let logger: Logger

    func create(agencyId: String, filter: SubscriptionFilter, url: String, secret: WebhookSecret, throttleSeconds: Int) async throws -> SubscriptionRecord {
        let rows = try await postgres.query(
            """
            INSERT INTO subscriptions (id, agency_id, filter, webhook_url, secret_current, throttle_seconds)
            VALUES (\(UUID()), \(agencyId), \(filter.jsonText)::jsonb, \(url), \(secret.text), \(throttleSeconds))
            RETURNING \(unescaped: SubscriptionRecord.columns)
            """,
            logger: logger
        )
        guard let record = try await Self.records(rows).first else { throw SubscriptionStoreError.noRowReturned }
        return record
    }

    func list(agencyId: String) async throws -> [SubscriptionRecord] {
        try await Self.records(
            postgres.query(
                "SELECT \(unescaped: SubscriptionRecord.columns) FROM subscriptions WHERE agency_id = \(agencyId) ORDER BY created_at, id",
                logger: logger
            )
        )
    }

    func find(_ id: UUID, agencyId: String) async throws -> SubscriptionRecord? {
        try await Self.records(
            postgres.query(
                "SELECT \(unescaped: SubscriptionRecord.columns) FROM subscriptions WHERE id = \(id) AND agency_id = \(agencyId)",
                logger: logger
            )
        ).first
    }

    /// Applies `change` under a row lock; `nil` when the agency has no such subscription.
    func update(_ id: UUID, agencyId: String, change: SubscriptionChange) async throws -> SubscriptionRecord? {
        try await postgres.withTransaction(logger: logger) { connection in
            guard var record = try await Self.lock(id, agencyId: agencyId, on: connection, logger: logger) else { return nil }
            if let filter = change.filter { record.filter = filter }
            if let url = change.url { record.url = url }
            if let throttleSeconds = change.throttleSeconds { record.throttleSeconds = throttleSeconds }
            switch change.paused {
            case true?: record.health.pause()
            case false?: if record.health.status != .active { record.health.resume() }
            case nil: break
            }
            let health = record.health
            let rows = try await connection.query(
                """
                UPDATE subscriptions SET filter = \(record.filter.jsonText)::jsonb, webhook_url = \(record.url), throttle_seconds = \(record.throttleSeconds),
                    status = \(health.status.rawValue), consecutive_failures = \(health.consecutiveFailures),
                    consecutive_failed_attempts = \(health.consecutiveFailedAttempts), suspended_at = \(health.suspendedAt?.date),
                    updated_at = now()
                WHERE id = \(id)
                RETURNING \(unescaped: SubscriptionRecord.columns)
                """,
                logger: logger
            )
            return try await Self.records(rows).first
        }
    }

    /// Signs with `secret` from now on, and with the current secret too until `overlapEnds`.
    func rotate(_ id: UUID, agencyId: String, to secret: WebhookSecret, overlapEnds: Timestamp) async throws -> SubscriptionRecord? {
        try await postgres.withTransaction(logger: logger) { connection in
            guard let record = try await Self.lock(id, agencyId: agencyId, on: connection, logger: logger) else { return nil }
            let keys = record.keys.rotated(to: secret, overlapEnds: overlapEnds)
            let rows = try await connection.query(
                """
                UPDATE subscriptions SET secret_current = \(keys.current.text), secret_previous = \(keys.previous?.text),
                    secret_previous_expires_at = \(keys.previousExpiresAt?.date), updated_at = now()
                WHERE id = \(id)
                RETURNING \(unescaped: SubscriptionRecord.columns)
                """,
                logger: logger
            )
            return try await Self.records(rows).first
        }
    }

    /// Deletes the subscription and its delivery log; `false` when the agency has no such subscription.
    func delete(_ id: UUID, agencyId: String) async throws -> Bool {
        let rows = try await postgres.query(
            "DELETE FROM subscriptions WHERE id = \(id) AND agency_id = \(agencyId) RETURNING id", logger: logger
        )
        var deleted = false
        for try await _ in rows { deleted = true }
        return deleted
    }

    /// The active subscriptions, read in the fan-out's transaction.
    static func active(on connection: PostgresConnection, logger: Logger) async throws -> [ActiveSubscription] {
        let rows = try await connection.query(
            "SELECT id, agency_id, filter::text, throttle_seconds FROM subscriptions WHERE status = 'active'", logger: logger
        )
        var result: [ActiveSubscription] = []
        let decoder = JSONDecoder()
        for try await (id, agencyId, filterText, throttleSeconds) in rows.decode((UUID, String, String, Int).self) {
            result.append(
                ActiveSubscription(
                    id: id, agencyId: agencyId, filter: try decoder.decode(SubscriptionFilter.self, from: Data(filterText.utf8)),
                    throttleSeconds: throttleSeconds))
        }
        return result
    }

    /// Locks and reads a subscription of `agencyId` in the caller's transaction.
    static func lock(_ id: UUID, agencyId: String?, on connection: PostgresConnection, logger: Logger) async throws -> SubscriptionRecord? {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: SubscriptionRecord.columns) FROM subscriptions
            WHERE id = \(id) AND (\(agencyId)::text IS NULL OR agency_id = \(agencyId)) FOR UPDATE
            """,
            logger: logger
        )
        return try await records(rows).first
    }

    static func records(_ rows: PostgresRowSequence) async throws -> [SubscriptionRecord] {
        var result: [SubscriptionRecord] = []
        for try await row in rows { result.append(try SubscriptionRecord(row: row)) }
        return result
    }
}

/// A statement that must return a row returned none.
enum SubscriptionStoreError: Error, CustomStringConvertible {
    case noRowReturned

    var description: String { "the database returned no row for an INSERT … RETURNING; check the notifications schema migrations" }
}
