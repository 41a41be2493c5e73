import CityEvents

/// The secrets of one subscription: the current one and, during a rotation, the previous one until it
/// expires. While both are active every delivery carries two signatures, so a receiver still holding
/// the old secret keeps verifying until it switches.
public struct SigningKeys: Sendable, Hashable {
    /// The secret the subscriber was given last.
    public var current: WebhookSecret
    /// The secret before the last rotation, kept until ``previousExpiresAt``.
    public var previous: WebhookSecret?
    /// When the previous secret stops signing; `nil` with a previous secret means it never expires
    /// on its own (the subscriber must finish the rotation).
    public var previousExpiresAt: Timestamp?

    /// Keys with only a current secret.
    public init(current: WebhookSecret, previous: WebhookSecret? = nil, previousExpiresAt: Timestamp? = nil) {
        self.current = current
        self.previous = previous
        self.previousExpiresAt = previousExpiresAt
    }

    /// Rotates: `newSecret` becomes current and the old current one keeps signing until `overlapEnds`.
    public func rotated(to newSecret: WebhookSecret, overlapEnds: Timestamp?) -> SigningKeys {
        SigningKeys(current: newSecret, previous: current, previousExpiresAt: overlapEnds)
    }

    /// The secrets that sign a delivery made at `time`: the current one first, then the previous one
    /// while it has not expired.
    public func activeSecrets(at time: Timestamp) -> [WebhookSecret] {
        guard let previous else { return [current] }
        if let expiry = previousExpiresAt, !(time < expiry) { return [current] }
        return [current, previous]
    }
}
