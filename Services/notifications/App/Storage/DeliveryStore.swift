import CityEvents
import Foundation
import Logging
import NotificationsCore
import PostgresNIO

/// A delivery the fan-out queues: one event for one subscription.
struct NewDelivery: Sendable {
    /// The Standard Webhooks `webhook-id` (``WebhookMessageID``), also the row's key.
    var id: String
    var subscriptionId: UUID
    var eventId: String
    var eventType: String
    var datasetId: String
    /// Deliveries of one subscription and key are sent in order.
    var key: String
    var eventTime: Timestamp
    /// The CloudEvent in structured JSON mode: the exact webhook body.
    var body: String
    /// The subscription's throttle interval in seconds (0: not throttled).
    var throttleSeconds: Int = 0
}

/// A delivery a worker has leased, with what it needs to send it.
struct ClaimedDelivery: Sendable {
    var id: String
    var subscriptionId: UUID
    var eventId: String
    var eventType: String
    var datasetId: String
    var body: String
    /// This attempt's number, from 1.
    var attempt: Int
    var leaseToken: UUID
    var agencyId: String
    var url: String
    var keys: SigningKeys
}

/// A row of the delivery log, as `GET /v1/subscriptions/{id}/deliveries` shows it.
struct DeliveryLogEntry: Sendable, Encodable {
    var id: String
    var eventId: String
    var eventType: String
    var datasetId: String
    var key: String
    var eventTime: String
    var status: String
    var attempts: Int
    var nextAttemptAt: String?
    var responseCode: Int?
    var latencyMs: Int?
    var error: String?
    var createdAt: String
    var updatedAt: String
}

/// The statuses of the delivery log. `pending` and `failed` (a retry is scheduled) are the queue;
/// `held` waits for its key's throttle interval to end; `superseded` was replaced by a later event
/// of its key (throttling, latest wins).
enum DeliveryRowStatus: String, CaseIterable, Sendable {
    case pending, failed, succeeded, dead, forbidden, held, superseded
}

/// The SQL of the `deliveries` table: the queue the sender works from and the log subscribers read.
struct DeliveryStore: Sendable {
    let postgres: PostgresClient
    let logger: Logger

    /// How many of a subscription's oldest queued rows a claim looks at first.
    static let recentWindow = 500
    /// How many keys the fallback skip scan visits at most (in key order).
    static let keyScanLimit = 5_000
    /// "Queued" as the skip scan says it: word for word the predicate of `deliveries_order_idx`
    /// (migration 7), so that the planner can walk no other index.
    static let queuedForSkipScan = "p.status <> ALL ('\(NotificationsMigrations.finishedOrWaitingStatuses)'::text[])"

    /// Queues deliveries in the caller's transaction; a delivery already queued (same webhook-id) is
    /// left as it is.
    static func enqueue(_ deliveries: [NewDelivery], on connection: PostgresConnection, logger: Logger) async throws {
        guard !deliveries.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO deliveries (id, subscription_id, event_id, event_type, dataset_id, key, event_time, body)
            SELECT * FROM unnest(\(deliveries.map(\.id))::text[], \(deliveries.map(\.subscriptionId.uuidString))::uuid[],
                \(deliveries.map(\.eventId))::text[], \(deliveries.map(\.eventType))::text[], \(deliveries.map(\.datasetId))::text[],
                \(deliveries.map(\.key))::text[], \(deliveries.map(\.eventTime.rfc3339))::timestamptz[], \(deliveries.map(\.body))::text[])
            ON CONFLICT (id) DO NOTHING
            """,
            logger: logger
        )
    }

    /// Leases up to `limit` due deliveries for `lease`: per subscription at most `perSubscription`
    /// minus what this process already has in flight for it (`busy`), and only the oldest queued
    /// delivery of each (subscription, key), so order per key holds and a slow subscription cannot
    /// take every slot. Rows another worker holds are skipped (`FOR UPDATE SKIP LOCKED`).
    ///
    /// Two ways to a subscription's candidates, so that a claim stays cheap both when many keys
    /// each have a few queued deliveries and when a few keys have a long backlog behind deliveries in
    /// flight: first the oldest `recentWindow` queued rows in order, keeping those that come first of
    /// their key among them (every older queued row of a key is in the window too, so that is the key's
    /// head — found by one sort of the window, where a probe of the index per row could, with stale
    /// statistics, read the whole queue per row); only when that finds fewer than wanted and the
    /// queue is longer than the window, a skip scan of the keys (one descent of the `(subscription_id,
    /// key, seq)` index per key — the only index it can walk, see `queuedForSkipScan` —, at most
    /// `keyScanLimit` keys) finds heads further back — so a key
    /// whose head waits behind a long backlog of other keys is not starved. The picked ids are
    /// materialised, so the plan does not hinge on fresh statistics (the queue grows from nothing in
    /// seconds, faster than autovacuum analyses it). The locking step finds the picked rows by primary
    /// key only and checks their status and lease after locking: with the status condition in the
    /// locking join, statistics taken while the queue was empty made the planner scan the whole
    /// partial queue index once per picked row (a claim of 256 took seconds with 20,000 queued, and
    /// every subscription's deliveries stalled for as long as the statistics stayed stale).
    ///
    /// `only`, when given, limits the claim to those subscriptions (the sender passes the ones whose
    /// attempts just finished, so that a claim made between polls does not scan every queue).
    func claim(limit: Int, perSubscription: Int, busy: [UUID: Int], only: [UUID]? = nil, lease: Duration) async throws -> [ClaimedDelivery] {
        let token = UUID()
        let onlyIds = only?.map(\.uuidString)
        let busyPairs = Array(busy)
        let busyIds = busyPairs.map(\.key.uuidString)
        let busyCounts = busyPairs.map(\.value)
        // The window must reach past what this sender already holds of the queue's oldest rows.
        let window = max(Self.recentWindow, 2 * perSubscription), keyLimit = Self.keyScanLimit
        let rows = try await postgres.query(
            """
            WITH busy AS MATERIALIZED (
                SELECT * FROM unnest(\(busyIds)::uuid[], \(busyCounts)::int[]) AS b(subscription_id, in_flight)
            ), picked AS MATERIALIZED (
                SELECT due.id FROM subscriptions s
                LEFT JOIN busy b ON b.subscription_id = s.id
                CROSS JOIN LATERAL (SELECT greatest(\(perSubscription) - coalesce(b.in_flight, 0), 0) AS wanted) w
                CROSS JOIN LATERAL (
                    WITH recent AS MATERIALIZED (
                        SELECT c.id, c.key, c.seq, c.next_attempt_at, c.lease_until FROM deliveries c
                        WHERE c.subscription_id = s.id AND c.status IN ('pending', 'failed')
                        ORDER BY c.seq LIMIT \(unescaped: String(window))
                    ), near AS MATERIALIZED (
                        SELECT r.id, r.seq FROM (
                            SELECT r.*, row_number() OVER (PARTITION BY r.key ORDER BY r.seq) AS place_in_key FROM recent r
                        ) r
                        WHERE r.place_in_key = 1 AND r.next_attempt_at <= now() AND (r.lease_until IS NULL OR r.lease_until < now())
                        ORDER BY r.seq LIMIT w.wanted
                    ), heads AS (
                        WITH RECURSIVE walk AS (
                            (SELECT p.key, p.id, p.seq, p.next_attempt_at, p.lease_until, 1 AS visited FROM deliveries p
                             WHERE p.subscription_id = s.id AND \(unescaped: Self.queuedForSkipScan) ORDER BY p.key, p.seq LIMIT 1)
                            UNION ALL
                            SELECT n.*, walk.visited + 1 FROM walk CROSS JOIN LATERAL (
                                SELECT p.key, p.id, p.seq, p.next_attempt_at, p.lease_until FROM deliveries p
                                WHERE p.subscription_id = s.id AND \(unescaped: Self.queuedForSkipScan) AND p.key > walk.key
                                ORDER BY p.key, p.seq LIMIT 1
                            ) n
                            WHERE walk.visited < \(unescaped: String(keyLimit))
                        )
                        SELECT walk.id, walk.seq FROM walk
                        WHERE (SELECT count(*) FROM near) < w.wanted AND (SELECT count(*) FROM recent) = \(unescaped: String(window))
                            AND walk.next_attempt_at <= now() AND (walk.lease_until IS NULL OR walk.lease_until < now())
                            AND walk.id NOT IN (SELECT id FROM near)
                    )
                    SELECT id FROM (SELECT id, seq FROM near UNION ALL SELECT id, seq FROM heads) candidates
                    ORDER BY seq LIMIT w.wanted
                ) due
                WHERE s.status = 'active' AND w.wanted > 0 AND (\(onlyIds)::uuid[] IS NULL OR s.id = ANY(\(onlyIds)::uuid[]))
                LIMIT \(limit)
            ), locked AS MATERIALIZED (
                SELECT d.id, d.status, d.lease_until FROM picked JOIN deliveries d ON d.id = picked.id
                FOR UPDATE OF d SKIP LOCKED
            )
            UPDATE deliveries d
            SET attempts = d.attempts + 1, lease_until = now() + \(Int(lease.wholeMilliseconds)) * interval '1 millisecond',
                lease_token = \(token), updated_at = now()
            FROM locked, subscriptions s
            WHERE d.id = locked.id AND s.id = d.subscription_id
                AND locked.status IN ('pending', 'failed') AND (locked.lease_until IS NULL OR locked.lease_until < now())
            RETURNING d.id, d.subscription_id, d.event_id, d.event_type, d.dataset_id, d.body, d.attempts,
                s.agency_id, s.webhook_url, s.secret_current, s.secret_previous, s.secret_previous_expires_at
            """,
            logger: logger
        )
        var claimed: [ClaimedDelivery] = []
        for try await row in rows {
            let columns = row.makeRandomAccess()
            func column<Value: PostgresDecodable>(_ index: Int, _ type: Value.Type) throws -> Value {
                try columns[index].decode(Value.self, context: .default)
            }
            claimed.append(
                ClaimedDelivery(
                    id: try column(0, String.self), subscriptionId: try column(1, UUID.self), eventId: try column(2, String.self),
                    eventType: try column(3, String.self), datasetId: try column(4, String.self), body: try column(5, String.self),
                    attempt: try column(6, Int.self), leaseToken: token, agencyId: try column(7, String.self), url: try column(8, String.self),
                    keys: SigningKeys(
                        current: try WebhookSecret(try column(9, String.self)),
                        previous: try column(10, String?.self).map { text throws(WebhookSecretError) in try WebhookSecret(text) },
                        previousExpiresAt: try column(11, Date?.self).map { Timestamp($0) }
                    )
                )
            )
        }
        return claimed
    }

    /// The subscription's delivery log, newest first.
    func log(subscriptionId: UUID, status: DeliveryRowStatus?, limit: Int) async throws -> [DeliveryLogEntry] {
        let rows = try await postgres.query(
            """
            SELECT id, event_id, event_type, dataset_id, key, event_time, status, attempts, next_attempt_at,
                last_response_code, last_latency_ms, last_error, created_at, updated_at
            FROM deliveries
            WHERE subscription_id = \(subscriptionId) AND (\(status?.rawValue)::text IS NULL OR status = \(status?.rawValue))
            ORDER BY seq DESC LIMIT \(limit)
            """,
            logger: logger
        )
        var entries: [DeliveryLogEntry] = []
        for try await row in rows {
            let columns = row.makeRandomAccess()
            func column<Value: PostgresDecodable>(_ index: Int, _ type: Value.Type) throws -> Value {
                try columns[index].decode(Value.self, context: .default)
            }
            let status = try column(6, String.self)
            let queued = [DeliveryRowStatus.pending, .failed, .held].map(\.rawValue).contains(status)
            entries.append(
                DeliveryLogEntry(
                    id: try column(0, String.self), eventId: try column(1, String.self), eventType: try column(2, String.self),
                    datasetId: try column(3, String.self), key: try column(4, String.self), eventTime: Timestamp(try column(5, Date.self)).rfc3339,
                    status: status, attempts: try column(7, Int.self),
                    nextAttemptAt: queued ? Timestamp(try column(8, Date.self)).rfc3339 : nil,
                    responseCode: try column(9, Int?.self), latencyMs: try column(10, Int?.self), error: try column(11, String?.self),
                    createdAt: Timestamp(try column(12, Date.self)).rfc3339, updatedAt: Timestamp(try column(13, Date.self)).rfc3339
                )
            )
        }
        return entries
    }

    /// Hands claimed deliveries back unattempted (the sender held them too long, or is shutting
    /// down): their lease ends now and the claim's attempt count is taken back. Rows whose lease
    /// token changed meanwhile are left alone.
    func release(_ claimed: [ClaimedDelivery]) async throws {
        guard !claimed.isEmpty else { return }
        try await postgres.query(
            """
            UPDATE deliveries d SET attempts = d.attempts - 1, lease_until = NULL, lease_token = NULL, updated_at = now()
            FROM unnest(\(claimed.map(\.id))::text[], \(claimed.map(\.leaseToken))::uuid[]) AS r(id, token)
            WHERE d.id = r.id AND d.lease_token = r.token
            """,
            logger: logger
        )
    }

    /// Queues again, as fresh deliveries, the finished deliveries of events whose time is in
    /// `[from, to)`; returns how many.
    func replay(subscriptionId: UUID, from: Timestamp, to: Timestamp) async throws -> Int {
        try await count(
            postgres.query(
                """
                UPDATE deliveries SET \(unescaped: Self.requeued)
                WHERE subscription_id = \(subscriptionId) AND status IN ('succeeded', 'dead', 'forbidden')
                    AND event_time >= \(from.date) AND event_time < \(to.date)
                RETURNING id
                """,
                logger: logger
            )
        )
    }

    /// Queues the dead letters again, as fresh deliveries; returns how many.
    func redrive(subscriptionId: UUID) async throws -> Int {
        try await count(
            postgres.query(
                "UPDATE deliveries SET \(unescaped: Self.requeued) WHERE subscription_id = \(subscriptionId) AND status = 'dead' RETURNING id",
                logger: logger
            )
        )
    }

    private static let requeued = """
        status = 'pending', attempts = 0, next_attempt_at = now(), lease_until = NULL, lease_token = NULL, last_error = NULL, updated_at = now()
        """

    private func count(_ rows: PostgresRowSequence) async throws -> Int {
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }
}
