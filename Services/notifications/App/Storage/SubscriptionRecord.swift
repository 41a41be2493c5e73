import CityEvents
import Foundation
import NotificationsCore
import PostgresNIO

/// One row of `subscriptions`: what an agency subscribed to, where deliveries go, the signing keys
/// and the delivery health.
struct SubscriptionRecord: Sendable {
    var id: UUID
    var agencyId: String
    var filter: SubscriptionFilter
    var url: String
    var keys: SigningKeys
    var health: SubscriptionHealth
    /// At most one delivery per this many seconds and key (0: every event).
    var throttleSeconds: Int
    var createdAt: Date
    var updatedAt: Date

    /// The columns ``init(row:)`` reads, for `SELECT` and `RETURNING` lists.
    static let columns = """
        id, agency_id, filter::text, webhook_url, secret_current, secret_previous, secret_previous_expires_at, status,
        consecutive_failures, consecutive_failed_attempts, last_success_at, last_failure_at, last_error, suspended_at,
        created_at, updated_at, throttle_seconds
        """

    init(row: PostgresRow) throws {
        let columns = row.makeRandomAccess()
        func column<Value: PostgresDecodable>(_ index: Int, _ type: Value.Type) throws -> Value {
            try columns[index].decode(Value.self, context: .default)
        }
        let id = try column(0, UUID.self)
        let agencyId = try column(1, String.self)
        let filterText = try column(2, String.self)
        let url = try column(3, String.self)
        let current = try column(4, String.self)
        let previous = try column(5, String?.self)
        let previousExpiresAt = try column(6, Date?.self)
        let status = try column(7, String.self)
        self.id = id
        self.agencyId = agencyId
        self.filter = try JSONDecoder().decode(SubscriptionFilter.self, from: Data(filterText.utf8))
        self.url = url
        self.keys = SigningKeys(
            current: try WebhookSecret(current), previous: try previous.map { text throws(WebhookSecretError) in try WebhookSecret(text) },
            previousExpiresAt: previousExpiresAt.map { Timestamp($0) }
        )
        self.health = SubscriptionHealth(
            status: SubscriptionStatus(rawValue: status) ?? .active,
            consecutiveFailures: try column(8, Int.self),
            consecutiveFailedAttempts: try column(9, Int.self),
            lastSuccessAt: try column(10, Date?.self).map { Timestamp($0) },
            lastFailureAt: try column(11, Date?.self).map { Timestamp($0) },
            lastError: try column(12, String?.self),
            suspendedAt: try column(13, Date?.self).map { Timestamp($0) }
        )
        self.createdAt = try column(14, Date.self)
        self.updatedAt = try column(15, Date.self)
        self.throttleSeconds = try column(16, Int.self)
    }
}

/// The filter as stored in the `filter` jsonb column.
extension SubscriptionFilter {
    var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{}"
    }
}
