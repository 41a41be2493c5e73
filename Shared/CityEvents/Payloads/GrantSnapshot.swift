/// `vn.citydata.grant.updated.v1` on the compacted `city.catalog.grants.v1`, keyed by grant id: a
/// data-sharing grant of a restricted dataset to a subscribing agency. A tombstone revokes it.
public struct GrantSnapshot: SnapshotPayload, Hashable {
    public static let eventType = EventType.grantUpdated
    public static let topic = TopicName.grants

    /// The grant id.
    public var id: String
    /// The shared dataset.
    public var datasetId: String
    /// The agency the dataset is shared with.
    public var agencyId: String
    /// When the grant was made.
    public var createdAt: Timestamp

    /// Creates a grant snapshot.
    public init(id: String, datasetId: String, agencyId: String, createdAt: Timestamp) {
        self.id = id
        self.datasetId = datasetId
        self.agencyId = agencyId
        self.createdAt = createdAt
    }

    public var entityId: String { id }
    public var defaultSubject: String? { datasetId }
}
