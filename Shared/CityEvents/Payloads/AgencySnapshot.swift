/// `vn.citydata.agency.updated.v1` on the compacted `city.catalog.agencies.v1`, keyed by agency id:
/// the full current state of an agency, including the hashes of its API keys, so that ingest and
/// notifications can authenticate without calling the catalog. A tombstone deletes the agency.
public struct AgencySnapshot: SnapshotPayload, Hashable {
    public static let eventType = EventType.agencyUpdated
    public static let topic = TopicName.agencies

    /// The agency id, e.g. `so-tnmt-hanoi`.
    public var id: String
    /// Vietnamese name.
    public var name: String
    /// English name.
    public var nameEn: String
    /// Every API key, revoked ones included (with ``ApiKeyRecord/revokedAt``).
    public var apiKeys: [ApiKeyRecord]
    /// When the agency (or one of its keys) last changed.
    public var updatedAt: Timestamp

    /// Creates a snapshot.
    public init(id: String, name: String, nameEn: String, apiKeys: [ApiKeyRecord], updatedAt: Timestamp) {
        self.id = id
        self.name = name
        self.nameEn = nameEn
        self.apiKeys = apiKeys
        self.updatedAt = updatedAt
    }

    public var entityId: String { id }
    public var defaultSubject: String? { id }
}

/// An API key of an agency, as stored: never the key itself, only its hash.
public struct ApiKeyRecord: Codable, Sendable, Hashable {
    /// The public key id.
    public var keyId: String
    /// `<algorithm>:<lowercase hex>`, e.g. `sha256:9f86d0…`.
    public var hash: String
    /// What the key may do.
    public var role: ApiKeyRole
    /// When the key was issued.
    public var createdAt: Timestamp
    /// When the key was revoked; a revoked key authenticates nothing.
    public var revokedAt: Timestamp?

    /// Creates a key record.
    public init(keyId: String, hash: String, role: ApiKeyRole, createdAt: Timestamp, revokedAt: Timestamp? = nil) {
        self.keyId = keyId
        self.hash = hash
        self.role = role
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

/// What an API key may be used for.
public enum ApiKeyRole: String, Codable, Sendable, Hashable, CaseIterable {
    /// Publish observations to the agency's own datasets.
    case publisher
    /// Subscribe to and read data shared with the agency.
    case subscriber
    /// Both.
    case both
}
