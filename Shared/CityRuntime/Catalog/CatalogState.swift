import CityEvents

/// The latest agencies, datasets and grants as the catalog published them on its compacted topics —
/// the value a ``CatalogReplica`` holds. Other services read it to authenticate API keys and to decide
/// who may publish to or see a dataset, without calling the catalog.
public struct CatalogState: Sendable {
    /// Agencies by id.
    public private(set) var agencies: [String: AgencySnapshot] = [:]
    /// Datasets by id.
    public private(set) var datasets: [String: DatasetSnapshot] = [:]
    /// Grants by grant id.
    public private(set) var grants: [String: GrantSnapshot] = [:]
    /// `keyId` → owning agency id, kept in step with `agencies`.
    private var keyOwners: [String: String] = [:]
    /// `"<datasetId> <agencyId>"` → number of grants giving that agency that dataset.
    private var grantPairs: [String: Int] = [:]

    /// An empty catalog.
    public init() {}

    /// The agency with `id`, if it exists.
    public func agency(_ id: String) -> AgencySnapshot? { agencies[id] }

    /// The dataset with `id`, if it exists.
    public func dataset(_ id: String) -> DatasetSnapshot? { datasets[id] }

    /// Whether `agencyId` may read `datasetId`: the dataset is public, owned by the agency, or granted
    /// to it. An unknown dataset is visible to nobody.
    public func isVisible(datasetId: String, to agencyId: String) -> Bool {
        guard let dataset = datasets[datasetId] else { return false }
        if dataset.accessLevel == .public || dataset.agencyId == agencyId { return true }
        return (grantPairs[Self.pairKey(datasetId, agencyId)] ?? 0) > 0
    }

    /// Whether a grant gives `agencyId` the dataset `datasetId`.
    public func hasGrant(datasetId: String, agencyId: String) -> Bool {
        (grantPairs[Self.pairKey(datasetId, agencyId)] ?? 0) > 0
    }

    /// Authenticates an `Authorization` header value (`Bearer <api key>`).
    public func authenticate(authorization: String?) -> Result<AgencyCredential, AuthenticationFailure> {
        guard let authorization, !authorization.isEmpty else { return .failure(.missing) }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return .failure(.notBearer) }
        return authenticate(apiKey: String(parts[1]).trimmingSpaces())
    }

    /// Authenticates a presented API key: it must have the key format, belong to a known agency, match
    /// the stored hash (compared in constant time) and not be revoked.
    public func authenticate(apiKey presented: String) -> Result<AgencyCredential, AuthenticationFailure> {
        guard let key = ApiKey(presented) else { return .failure(.malformed) }
        guard let agencyId = keyOwners[key.keyId], let agency = agencies[agencyId],
            let record = agency.apiKeys.first(where: { $0.keyId == key.keyId })
        else { return .failure(.unknownKey) }
        guard key.matches(storedHash: record.hash) else { return .failure(.unknownKey) }
        guard record.revokedAt == nil else { return .failure(.revoked) }
        return .success(AgencyCredential(agencyId: agencyId, keyId: key.keyId, role: record.role))
    }

    // MARK: Applying changes

    /// Applies a change read from `city.catalog.agencies.v1`. An upsert older than what is held is ignored.
    public mutating func apply(_ change: SnapshotChange<AgencySnapshot>) {
        switch change {
        case .upsert(let event):
            let agency = event.payload
            if let current = agencies[agency.id], current.updatedAt > agency.updatedAt { return }
            removeKeys(of: agency.id)
            agencies[agency.id] = agency
            for key in agency.apiKeys { keyOwners[key.keyId] = agency.id }
        case .deleted(let id):
            removeKeys(of: id)
            agencies[id] = nil
        }
    }

    /// Applies a change read from `city.catalog.datasets.v1`. An upsert older than what is held is ignored.
    public mutating func apply(_ change: SnapshotChange<DatasetSnapshot>) {
        switch change {
        case .upsert(let event):
            let dataset = event.payload
            if let current = datasets[dataset.id], current.updatedAt > dataset.updatedAt { return }
            datasets[dataset.id] = dataset
        case .deleted(let id):
            datasets[id] = nil
        }
    }

    /// Applies a change read from `city.catalog.grants.v1`.
    public mutating func apply(_ change: SnapshotChange<GrantSnapshot>) {
        switch change {
        case .upsert(let event):
            let grant = event.payload
            if let previous = grants[grant.id] { releasePair(previous) }
            grants[grant.id] = grant
            grantPairs[Self.pairKey(grant.datasetId, grant.agencyId), default: 0] += 1
        case .deleted(let id):
            if let previous = grants.removeValue(forKey: id) { releasePair(previous) }
        }
    }

    private mutating func removeKeys(of agencyId: String) {
        guard let previous = agencies[agencyId] else { return }
        for key in previous.apiKeys where keyOwners[key.keyId] == agencyId { keyOwners[key.keyId] = nil }
    }

    private mutating func releasePair(_ grant: GrantSnapshot) {
        let key = Self.pairKey(grant.datasetId, grant.agencyId)
        let remaining = (grantPairs[key] ?? 1) - 1
        grantPairs[key] = remaining > 0 ? remaining : nil
    }

    private static func pairKey(_ datasetId: String, _ agencyId: String) -> String { datasetId + " " + agencyId }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
