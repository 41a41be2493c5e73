/// The body of `POST /v1/grants`: share a restricted dataset with a subscribing agency.
public struct GrantRequest: Decodable, Sendable, Hashable {
    /// The restricted dataset to share.
    public var datasetId: String?
    /// The agency that receives access.
    public var agencyId: String?

    /// Creates a request.
    public init(datasetId: String? = nil, agencyId: String? = nil) {
        self.datasetId = datasetId
        self.agencyId = agencyId
    }

    /// The dataset and agency ids, or every invalid field.
    public func validated() throws(ValidationFailure) -> (datasetId: String, agencyId: String) {
        var check = FieldChecker()
        if let datasetId { check.require(EntityID.isValid(datasetId), "datasetId", "must be \(EntityID.expectation)") } else { check.fail("datasetId", "is required") }
        if let agencyId { check.require(EntityID.isValid(agencyId), "agencyId", "must be \(EntityID.expectation)") } else { check.fail("agencyId", "is required") }
        try check.finish()
        return (datasetId!, agencyId!)
    }
}
