import CityEvents
import Foundation
import NotificationsCore

/// `channel` of a subscription request: only webhooks exist.
struct ChannelRequest: Decodable {
    var type: String?
    var url: String?
}

/// The body of `POST /v1/subscriptions`.
struct CreateSubscriptionRequest: Decodable {
    var filter: SubscriptionFilter?
    var channel: ChannelRequest?
    var throttleSeconds: Int?
}

/// The body of `PATCH /v1/subscriptions/{id}`: any of filter, channel url, paused.
struct UpdateSubscriptionRequest: Decodable {
    var filter: SubscriptionFilter?
    var channel: ChannelRequest?
    var paused: Bool?
    var throttleSeconds: Int?
}

/// The body of `POST /v1/subscriptions/{id}/replay`: event times, RFC 3339, `from` inclusive.
struct ReplayRequest: Decodable {
    var from: String
    var to: String
}

/// A subscription as the API shows it (never its secrets).
struct SubscriptionView: Encodable {
    struct Channel: Encodable {
        var type = "webhook"
        var url: String
    }

    struct Health: Encodable {
        var consecutiveFailures: Int
        var consecutiveFailedAttempts: Int
        var lastSuccessAt: String?
        var lastFailureAt: String?
        var lastError: String?
        var suspendedAt: String?
    }

    var id: String
    var agencyId: String
    var filter: SubscriptionFilter
    var channel: Channel
    var status: String
    var paused: Bool
    var throttleSeconds: Int
    var health: Health
    var previousSecretExpiresAt: String?
    var createdAt: String
    var updatedAt: String

    init(_ record: SubscriptionRecord) {
        id = record.id.uuidString.lowercased()
        agencyId = record.agencyId
        filter = record.filter
        channel = Channel(url: record.url)
        status = record.health.status.rawValue
        paused = record.health.status == .paused
        throttleSeconds = record.throttleSeconds
        health = Health(
            consecutiveFailures: record.health.consecutiveFailures, consecutiveFailedAttempts: record.health.consecutiveFailedAttempts,
            lastSuccessAt: record.health.lastSuccessAt?.rfc3339, lastFailureAt: record.health.lastFailureAt?.rfc3339,
            lastError: record.health.lastError, suspendedAt: record.health.suspendedAt?.rfc3339
        )
        previousSecretExpiresAt = record.keys.previous == nil ? nil : record.keys.previousExpiresAt?.rfc3339
        createdAt = Timestamp(record.createdAt).rfc3339
        updatedAt = Timestamp(record.updatedAt).rfc3339
    }
}

/// `201` of `POST /v1/subscriptions` and `200` of `rotate-secret`: the only time a secret is shown.
struct SecretView: Encodable {
    var id: String
    var secret: String
    var previousSecretExpiresAt: String?
}
