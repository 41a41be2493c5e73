/// The platform's sharing rule for deliveries: an event about a dataset is delivered to an agency
/// only if the dataset is public, owned by that agency, or granted to it. Unknown datasets are
/// refused (fail closed): the catalog's snapshot may not have arrived yet, and a later replay can
/// deliver once it has.
public enum AccessRule {
    /// The decision for delivering data of `datasetId` to `agencyId`, against `view`.
    public static func decide(datasetId: String, agencyId: String, view: some DatasetAccessView) -> AccessDecision {
        guard let dataset = view.dataset(datasetId) else { return .denied(.unknownDataset) }
        if dataset.accessLevel == .public { return .allowed(.publicDataset) }
        if dataset.ownerAgencyId == agencyId { return .allowed(.owner) }
        if view.hasGrant(datasetId: datasetId, agencyId: agencyId) { return .allowed(.granted) }
        return .denied(.restrictedWithoutGrant)
    }

    /// The decision for delivering `event` to `agencyId`.
    public static func decide(_ event: EventFacts, agencyId: String, view: some DatasetAccessView) -> AccessDecision {
        decide(datasetId: event.datasetId, agencyId: agencyId, view: view)
    }
}

/// Whether data may be delivered, and why.
public enum AccessDecision: Sendable, Hashable {
    /// Deliver.
    case allowed(Grounds)
    /// Do not deliver.
    case denied(Refusal)

    /// Why delivery is allowed.
    public enum Grounds: String, Sendable, Hashable {
        /// The dataset is public.
        case publicDataset = "public"
        /// The agency owns the dataset.
        case owner
        /// The dataset is granted to the agency.
        case granted
    }

    /// Why delivery is refused.
    public enum Refusal: String, Sendable, Hashable {
        /// The dataset is not (or no longer) in the catalog snapshot.
        case unknownDataset = "unknown-dataset"
        /// The dataset is restricted and not granted to the agency.
        case restrictedWithoutGrant = "restricted-without-grant"
    }

    /// Whether delivery is allowed.
    public var isAllowed: Bool {
        if case .allowed = self { return true }
        return false
    }
}
