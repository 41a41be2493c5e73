import CityEvents

/// What the access rule needs to know about datasets and grants: the notifications service's own
/// copy of the catalog's compacted topics (`city.catalog.datasets.v1`, `city.catalog.grants.v1`).
/// The App implements it over its tables (or loads a ``DatasetAccessSnapshot``).
public protocol DatasetAccessView: Sendable {
    /// The owner and access level of a dataset, `nil` when the dataset is unknown (or deleted).
    func dataset(_ datasetId: String) -> DatasetAccess?
    /// Whether a grant of `datasetId` to `agencyId` exists (and was not revoked).
    func hasGrant(datasetId: String, agencyId: String) -> Bool
}

/// The access-relevant part of a dataset snapshot.
public struct DatasetAccess: Sendable, Hashable {
    /// The owning agency.
    public var ownerAgencyId: String
    /// Public or restricted.
    public var accessLevel: AccessLevel

    /// Access facts from their values.
    public init(ownerAgencyId: String, accessLevel: AccessLevel) {
        self.ownerAgencyId = ownerAgencyId
        self.accessLevel = accessLevel
    }

    /// The access facts of a catalog dataset snapshot.
    public init(_ snapshot: DatasetSnapshot) {
        self.init(ownerAgencyId: snapshot.agencyId, accessLevel: snapshot.accessLevel)
    }
}

/// An in-memory ``DatasetAccessView``, built from dataset and grant snapshots (tombstones remove).
public struct DatasetAccessSnapshot: DatasetAccessView, Hashable {
    private var datasets: [String: DatasetAccess] = [:]
    private var grants: [String: GrantSnapshot] = [:]
    private var grantedPairs: [String: Set<String>] = [:]

    /// An empty view: every dataset is unknown.
    public init() {}

    /// A view of these datasets and grants.
    public init(datasets: [DatasetSnapshot], grants: [GrantSnapshot]) {
        for dataset in datasets { apply(dataset) }
        for grant in grants { apply(grant) }
    }

    /// Applies a dataset snapshot (the latest wins).
    public mutating func apply(_ dataset: DatasetSnapshot) {
        datasets[dataset.id] = DatasetAccess(dataset)
    }

    /// Applies a dataset tombstone.
    public mutating func removeDataset(id: String) {
        datasets[id] = nil
    }

    /// Applies a grant snapshot (the latest for a grant id wins).
    public mutating func apply(_ grant: GrantSnapshot) {
        removeGrant(id: grant.id)
        grants[grant.id] = grant
        grantedPairs[grant.datasetId, default: []].insert(grant.agencyId)
    }

    /// Applies a grant tombstone (revocation).
    public mutating func removeGrant(id: String) {
        guard let old = grants.removeValue(forKey: id) else { return }
        let stillGranted = grants.values.contains { $0.datasetId == old.datasetId && $0.agencyId == old.agencyId }
        if !stillGranted { grantedPairs[old.datasetId]?.remove(old.agencyId) }
    }

    public func dataset(_ datasetId: String) -> DatasetAccess? { datasets[datasetId] }

    public func hasGrant(datasetId: String, agencyId: String) -> Bool {
        grantedPairs[datasetId]?.contains(agencyId) ?? false
    }
}
