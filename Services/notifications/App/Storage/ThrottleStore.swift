import CityEvents
import Foundation
import Logging
import NotificationsCore
import PostgresNIO

/// Throttling in the database: Core's ``Throttle`` decides, `throttle_states` remembers per
/// (subscription, key), and every decision for a key runs under that row's lock (`FOR UPDATE`), so
/// several replicas — the fan-out offering new events, any sender releasing held ones — never decide
/// twice for one key.
enum ThrottleStore {
    /// Queues the deliveries of throttled subscriptions, in order, in the fan-out's transaction: now
    /// (`pending`), later (`held` until the key's interval ends, replacing a held one, which becomes
    /// `superseded`), or not at all (`superseded`: a later event of the key was already delivered).
    static func offer(_ deliveries: [NewDelivery], now: Timestamp, on connection: PostgresConnection, logger: Logger) async throws {
        for delivery in deliveries {
            var state = try await lockState(subscriptionId: delivery.subscriptionId, key: delivery.key, on: connection, logger: logger)
            let throttle = Throttle(interval: .seconds(delivery.throttleSeconds))
            let decision = throttle.offer(ThrottledEvent(id: delivery.id, time: delivery.eventTime), to: &state, now: now)
            var releaseAt: Timestamp?
            switch decision {
            case .deliverNow(let replaced):
                try await insert(delivery, status: .pending, nextAttemptAt: now, error: nil, on: connection, logger: logger)
                try await supersede(replaced, by: delivery.eventId, on: connection, logger: logger)
            case .hold(let until, let replaced):
                try await insert(delivery, status: .held, nextAttemptAt: until, error: nil, on: connection, logger: logger)
                try await supersede(replaced, by: delivery.eventId, on: connection, logger: logger)
                releaseAt = until
            case .discard(let reason):
                let text = switch reason {
                case .olderThanDelivered: "throttled: a later event of this key was already delivered"
                case .olderThanHeld: "throttled: a later event of this key is waiting to be delivered"
                }
                try await insert(delivery, status: .superseded, nextAttemptAt: now, error: text, on: connection, logger: logger)
                releaseAt = state.held.flatMap { _ in state.lastDeliveredAt?.adding(throttle.interval) }
            }
            try await saveState(state, releaseAt: releaseAt, subscriptionId: delivery.subscriptionId, key: delivery.key, on: connection, logger: logger)
        }
    }

    /// Releases the held deliveries whose interval has ended (at most `limit` keys), turning them
    /// `pending`; keys another replica is deciding for are skipped. Returns how many were released.
    static func releaseDue(limit: Int, postgres: PostgresClient, logger: Logger) async throws -> Int {
        try await postgres.withTransaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                SELECT t.subscription_id, t.key, t.state::text, s.throttle_seconds FROM throttle_states t
                JOIN subscriptions s ON s.id = t.subscription_id
                WHERE t.release_at <= now() ORDER BY t.release_at LIMIT \(limit)
                FOR UPDATE OF t SKIP LOCKED
                """,
                logger: logger
            )
            var due: [(UUID, String, String, Int)] = []
            for try await row in rows.decode((UUID, String, String, Int).self) { due.append(row) }
            var released = 0
            let now = Timestamp.now()
            for (subscriptionId, key, text, seconds) in due {
                var state = try decodeState(text)
                let throttle = Throttle(interval: .seconds(seconds))
                var releaseAt: Timestamp?
                if let event = throttle.release(&state, now: now) {
                    try await connection.query(
                        """
                        UPDATE deliveries SET status = 'pending', next_attempt_at = now(), updated_at = now()
                        WHERE id = \(event.id) AND status = 'held'
                        """,
                        logger: logger
                    )
                    released += 1
                } else if state.held != nil {
                    releaseAt = state.lastDeliveredAt?.adding(throttle.interval)  // the interval was lengthened meanwhile
                }
                try await saveState(state, releaseAt: releaseAt, subscriptionId: subscriptionId, key: key, on: connection, logger: logger)
            }
            return released
        }
    }

    private static func lockState(subscriptionId: UUID, key: String, on connection: PostgresConnection, logger: Logger) async throws -> ThrottleState {
        try await connection.query(
            "INSERT INTO throttle_states (subscription_id, key, state) VALUES (\(subscriptionId), \(key), '{}') ON CONFLICT DO NOTHING",
            logger: logger
        )
        let rows = try await connection.query(
            "SELECT state::text FROM throttle_states WHERE subscription_id = \(subscriptionId) AND key = \(key) FOR UPDATE", logger: logger
        )
        for try await text in rows.decode(String.self) { return try decodeState(text) }
        return ThrottleState()
    }

    private static func saveState(
        _ state: ThrottleState, releaseAt: Timestamp?, subscriptionId: UUID, key: String, on connection: PostgresConnection, logger: Logger
    ) async throws {
        let text = String(decoding: try JSONEncoder().encode(state), as: UTF8.self)
        try await connection.query(
            """
            UPDATE throttle_states SET state = \(text)::jsonb, release_at = \(releaseAt?.date)
            WHERE subscription_id = \(subscriptionId) AND key = \(key)
            """,
            logger: logger
        )
    }

    private static func decodeState(_ text: String) throws -> ThrottleState {
        try JSONDecoder().decode(ThrottleState.self, from: Data(text.utf8))
    }

    private static func insert(
        _ delivery: NewDelivery, status: DeliveryRowStatus, nextAttemptAt: Timestamp, error: String?, on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query(
            """
            INSERT INTO deliveries (id, subscription_id, event_id, event_type, dataset_id, key, event_time, body, status, next_attempt_at, last_error)
            VALUES (\(delivery.id), \(delivery.subscriptionId), \(delivery.eventId), \(delivery.eventType), \(delivery.datasetId), \(delivery.key),
                \(delivery.eventTime.date), \(delivery.body), \(status.rawValue), \(nextAttemptAt.date), \(error))
            ON CONFLICT (id) DO NOTHING
            """,
            logger: logger
        )
    }

    /// Marks the held delivery `id` (if any) as replaced by the later event `eventId`.
    private static func supersede(_ id: String?, by eventId: String, on connection: PostgresConnection, logger: Logger) async throws {
        guard let id else { return }
        try await connection.query(
            """
            UPDATE deliveries SET status = 'superseded', last_error = \("throttled: replaced by the later event \(eventId)"), updated_at = now()
            WHERE id = \(id) AND status = 'held'
            """,
            logger: logger
        )
    }
}
