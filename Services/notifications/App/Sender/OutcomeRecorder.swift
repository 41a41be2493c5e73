import CityEvents
import CityRuntime
import Foundation
import Logging
import NotificationsCore
import PostgresNIO

/// Records the end of an attempt in one transaction: the delivery row (guarded by the lease token,
/// so a worker whose lease expired changes nothing), the subscription's health, and a
/// `DeliveryOutcome` event in the outbox for `city.notifications.deliveries.v1`.
///
/// Attempts are recorded in groups (``GroupCommit``), successes and failures each: one transaction
/// for every outcome that finished while the previous group was being written, so a busy sender
/// does not pay a transaction per delivery — and a dead endpoint whose attempts all time out at once
/// costs one transaction that locks its subscription once, not one per attempt holding a pooled
/// connection while it queues for that lock (which starved every other subscription's claims).
///
/// The commits use `synchronous_commit = off`: an outcome lost in a database crash leaves the row
/// leased, and it is sent again when the lease ends — at-least-once, as everywhere else.
struct OutcomeRecorder: Sendable {
    let postgres: PostgresClient
    let outbox: Outbox
    let retries: RetrySchedule
    let health: HealthPolicy
    let logger: Logger
    private let successes = GroupCommit<Success>()
    private let failures = GroupCommit<Failure>()

    /// A successful attempt waiting to be recorded.
    struct Success: Sendable {
        var delivery: ClaimedDelivery
        var code: Int
        var latency: Int
        var time: Timestamp
    }

    /// A failed attempt waiting to be recorded.
    struct Failure: Sendable {
        var delivery: ClaimedDelivery
        var code: Int?
        var latency: Int?
        var error: String
        var time: Timestamp
    }

    init(postgres: PostgresClient, outbox: Outbox, retries: RetrySchedule, health: HealthPolicy, logger: Logger) {
        self.postgres = postgres
        self.outbox = outbox
        self.retries = retries
        self.health = health
        self.logger = logger
    }

    static let eventSource = "/city/notifications"

    func record(_ delivery: ClaimedDelivery, result: AttemptResult, at time: Timestamp) async throws {
        switch result {
        case .delivered(let code, let latency):
            try await successes.submit(Success(delivery: delivery, code: code, latency: latency, time: time)) { group in
                try await recordSuccesses(group)
            }
        case .failed(let code, let latency, let error):
            try await failures.submit(Failure(delivery: delivery, code: code, latency: latency, error: error, time: time)) { group in
                try await recordFailures(group)
            }
        }
    }

    /// Records a group of failed attempts in one transaction: each row's next attempt or dead letter
    /// (rows whose lease was lost are left alone), their outcomes, and the health of their
    /// subscriptions — each locked once, in id order, with its failures applied in the order they
    /// happened.
    private func recordFailures(_ group: [Failure]) async throws {
        try await postgres.withTransaction(logger: logger) { connection in
            try await connection.query("SET LOCAL synchronous_commit = off", logger: logger)
            var bySubscription: [UUID: [(failure: Failure, deadLettered: Bool)]] = [:]
            for failure in group {
                let nextAttempt: Timestamp?
                switch retries.decision(afterFailedAttempt: failure.delivery.attempt, at: failure.time) {
                case .retry(_, let at, _): nextAttempt = at
                case .deadLetter: nextAttempt = nil
                }
                let status: DeliveryRowStatus = nextAttempt == nil ? .dead : .failed
                guard
                    try await finish(
                        failure.delivery, status: status, code: failure.code, latency: failure.latency, error: failure.error,
                        nextAttempt: nextAttempt, on: connection)
                else { continue }
                try await publish(
                    failure.delivery, status: nextAttempt == nil ? .deadLettered : .failed, code: failure.code, latency: failure.latency,
                    error: failure.error, at: failure.time, on: connection)
                bySubscription[failure.delivery.subscriptionId, default: []].append((failure, nextAttempt == nil))
            }
            for subscriptionId in bySubscription.keys.sorted(by: { $0.uuidString < $1.uuidString }) {
                let failures = (bySubscription[subscriptionId] ?? []).sorted { $0.failure.time < $1.failure.time }
                try await recordHealth(of: subscriptionId, after: failures, on: connection)
            }
        }
    }

    /// Records a group of successes in one transaction: the rows whose lease still holds, their
    /// `delivered` outcomes, and the health of their subscriptions (locked in id order, so that
    /// replicas recording at the same time cannot deadlock). `lastSuccessAt` is kept to the second,
    /// so a busy subscription's row is not written per group.
    private func recordSuccesses(_ group: [Success]) async throws {
        try await postgres.withTransaction(logger: logger) { connection in
            try await connection.query("SET LOCAL synchronous_commit = off", logger: logger)
            let rows = try await connection.query(
                """
                UPDATE deliveries d SET status = 'succeeded', last_response_code = u.code, last_latency_ms = u.latency, last_error = NULL,
                    lease_until = NULL, lease_token = NULL, updated_at = now()
                FROM unnest(\(group.map(\.delivery.id))::text[], \(group.map(\.delivery.leaseToken))::uuid[], \(group.map(\.code))::int[],
                    \(group.map(\.latency))::int[]) AS u(id, token, code, latency)
                WHERE d.id = u.id AND d.lease_token = u.token
                RETURNING d.id
                """,
                logger: logger
            )
            var recorded: Set<String> = []
            for try await id in rows.decode(String.self) { recorded.insert(id) }
            if recorded.count < group.count {
                logger.warning("deliveries' leases were lost before their outcome was recorded", metadata: ["count": "\(group.count - recorded.count)"])
            }
            let kept = group.filter { recorded.contains($0.delivery.id) }
            try await outbox.enqueue(
                try kept.map { success in
                    try outcomeRecord(success.delivery, status: .delivered, code: success.code, latency: success.latency, error: nil, at: success.time)
                },
                on: connection
            )
            let subscriptions = Array(Set(kept.map(\.delivery.subscriptionId)))
            guard !subscriptions.isEmpty else { return }
            try await connection.query(
                """
                UPDATE subscriptions SET last_success_at = now(), consecutive_failures = 0, consecutive_failed_attempts = 0
                WHERE id IN (
                    SELECT id FROM subscriptions
                    WHERE id = ANY(\(subscriptions)::uuid[]) AND (last_success_at IS NULL OR last_success_at < now() - interval '1 second'
                        OR consecutive_failures > 0 OR consecutive_failed_attempts > 0)
                    ORDER BY id FOR UPDATE
                )
                """,
                logger: logger
            )
        }
    }

    /// A delivery whose dataset the subscriber may no longer see: dropped, never sent.
    func recordForbidden(_ delivery: ClaimedDelivery) async throws {
        try await postgres.withTransaction(logger: logger) { connection in
            _ = try await finish(
                delivery, status: .forbidden, code: nil, latency: nil,
                error: "not sent: the subscribing agency may no longer see dataset \(delivery.datasetId)", nextAttempt: nil, on: connection
            )
        }
    }

    /// Updates the leased row; `false` when the lease was lost (the row was claimed again or deleted).
    private func finish(
        _ delivery: ClaimedDelivery, status: DeliveryRowStatus, code: Int?, latency: Int?, error: String?, nextAttempt: Timestamp?,
        on connection: PostgresConnection
    ) async throws -> Bool {
        let rows = try await connection.query(
            """
            UPDATE deliveries SET status = \(status.rawValue), last_response_code = \(code), last_latency_ms = \(latency),
                last_error = \(error), next_attempt_at = coalesce(\(nextAttempt?.date), next_attempt_at),
                lease_until = NULL, lease_token = NULL, updated_at = now()
            WHERE id = \(delivery.id) AND lease_token = \(delivery.leaseToken)
            RETURNING id
            """,
            logger: logger
        )
        var updated = false
        for try await _ in rows { updated = true }
        if !updated {
            logger.warning("a delivery's lease was lost before its outcome was recorded", metadata: ["webhook_id": "\(delivery.id)"])
        }
        return updated
    }

    /// Applies failed attempts of one subscription to its health (locked), in order; a subscription
    /// suspended by them is told so through its outcome stream.
    private func recordHealth(
        of subscriptionId: UUID, after failures: [(failure: Failure, deadLettered: Bool)], on connection: PostgresConnection
    ) async throws {
        guard let last = failures.last, var subscription = try await SubscriptionStore.lock(subscriptionId, agencyId: nil, on: connection, logger: logger)
        else { return }
        var suspended = false
        for (failure, deadLettered) in failures {
            if deadLettered {
                suspended = subscription.health.recordDeadLetter(at: failure.time, error: failure.error, policy: health) || suspended
            } else {
                subscription.health.recordFailedAttempt(at: failure.time, error: failure.error)
            }
        }
        let state = subscription.health
        try await connection.query(
            """
            UPDATE subscriptions SET status = \(state.status.rawValue), consecutive_failures = \(state.consecutiveFailures),
                consecutive_failed_attempts = \(state.consecutiveFailedAttempts), last_failure_at = \(state.lastFailureAt?.date),
                last_error = \(state.lastError), suspended_at = \(state.suspendedAt?.date), updated_at = now()
            WHERE id = \(subscriptionId)
            """,
            logger: logger
        )
        if suspended {
            let delivery = last.failure.delivery
            logger.warning(
                "subscription suspended after consecutive failed deliveries",
                metadata: ["subscription": "\(subscriptionId)", "agency": "\(delivery.agencyId)", "failures": "\(state.consecutiveFailures)"]
            )
            let notice = "subscription suspended after \(state.consecutiveFailures) consecutive dead-lettered deliveries; fix the endpoint, then PATCH {\"paused\": false} to resume"
            try await publish(delivery, status: .deadLettered, code: nil, latency: nil, error: notice, at: last.failure.time, on: connection)
        }
    }

    private func publish(
        _ delivery: ClaimedDelivery, status: DeliveryStatus, code: Int?, latency: Int?, error: String?, at time: Timestamp,
        on connection: PostgresConnection
    ) async throws {
        try await outbox.enqueue(outcomeRecord(delivery, status: status, code: code, latency: latency, error: error, at: time), on: connection)
    }

    /// The `DeliveryOutcome` event of an attempt, for `city.notifications.deliveries.v1`.
    private func outcomeRecord(
        _ delivery: ClaimedDelivery, status: DeliveryStatus, code: Int?, latency: Int?, error: String?, at time: Timestamp
    ) throws -> KafkaRecord {
        let outcome = DeliveryOutcome(
            subscriptionId: delivery.subscriptionId.uuidString.lowercased(), eventId: delivery.eventId, eventType: delivery.eventType,
            webhookId: delivery.id, attempt: delivery.attempt, status: status, responseCode: code, latencyMs: latency, error: error, at: time
        )
        return try EventCodec.encode(Event(source: Self.eventSource, time: time, payload: outcome))
    }
}
