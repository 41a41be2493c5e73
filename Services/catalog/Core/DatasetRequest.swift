import CityEvents

/// The body of `POST /v1/datasets` and `PUT /v1/datasets/{id}`: a dataset description as the
/// publisher writes it. Validation turns it into a ``DatasetSnapshot`` or lists every invalid field.
public struct DatasetRequest: Decodable, Sendable, Hashable {
    public var id: String?
    public var agencyId: String?
    public var title: String?
    public var titleEn: String?
    public var description: String?
    public var descriptionEn: String?
    public var theme: String?
    public var keywords: [String]?
    public var accessLevel: String?
    public var license: String?
    public var updateFrequency: String?
    public var timeColumn: String?
    public var sourceColumn: String?
    public var fields: [DatasetField]?
    public var spatial: SpatialCoverage?
    public var contact: DatasetContact?

    /// The themes a dataset may have (DCAT-AP data themes, in the platform's words).
    public static let themes: Set<String> = [
        "environment", "transport", "energy", "water", "waste", "health", "safety", "economy", "population", "government", "other",
    ]

    /// The snapshot this request describes, stamped `updatedAt`, or every invalid field.
    ///
    /// - Parameter pathID: on `PUT`, the id in the path (the body's `id` may be absent or equal).
    public func validated(pathID: String? = nil, updatedAt: Timestamp) throws(ValidationFailure) -> DatasetSnapshot {
        var check = FieldChecker()
        let datasetID = id ?? pathID
        if let datasetID {
            check.require(EntityID.isValid(datasetID), "id", "must be \(EntityID.expectation)")
            if let pathID { check.require(datasetID == pathID, "id", "cannot be changed (the path names \(pathID))") }
        } else {
            check.fail("id", "is required")
        }
        if let agencyId { check.require(EntityID.isValid(agencyId), "agencyId", "must be \(EntityID.expectation)") } else { check.fail("agencyId", "is required") }
        check.text(title, "title")
        check.text(titleEn, "titleEn", required: false)
        check.text(description, "description", required: false, maxLength: 10_000)
        check.text(descriptionEn, "descriptionEn", required: false, maxLength: 10_000)
        if let theme { check.require(Self.themes.contains(theme), "theme", "must be one of \(Self.themes.sorted().joined(separator: ", ")); got \"\(theme)\"") } else { check.fail("theme", "is required") }
        for (index, keyword) in (keywords ?? []).enumerated() { check.text(keyword, "keywords[\(index)]", maxLength: 100) }
        if let accessLevel {
            check.require(AccessLevel(rawValue: accessLevel) != nil, "accessLevel", "must be public or restricted; got \"\(accessLevel)\"")
        } else {
            check.fail("accessLevel", "is required")
        }
        check.text(license, "license", maxLength: 100)
        if let updateFrequency {
            check.require(ISODuration(updateFrequency) != nil, "updateFrequency", "must be a positive ISO 8601 duration such as PT1H, P1D or P1W; got \"\(updateFrequency)\"")
        } else {
            check.fail("updateFrequency", "is required")
        }
        check.text(timeColumn, "timeColumn", maxLength: 100)
        check.text(sourceColumn, "sourceColumn", required: false, maxLength: 100)
        checkFields(&check)
        if let box = spatial?.boundingBox {
            let valid = box.count == 4 && (-180...180).contains(box[0]) && (-90...90).contains(box[1])
                && (-180...180).contains(box[2]) && (-90...90).contains(box[3]) && box[0] <= box[2] && box[1] <= box[3]
            check.require(valid, "spatial.boundingBox", "must be [minLon, minLat, maxLon, maxLat] in WGS 84 degrees")
        }
        if let email = contact?.email { check.require(email.contains("@") && !email.contains(" "), "contact.email", "must be an e-mail address") }
        try check.finish()
        return DatasetSnapshot(
            id: datasetID!, agencyId: agencyId!, title: title!, titleEn: titleEn ?? "", description: description,
            descriptionEn: descriptionEn, theme: theme!, keywords: keywords ?? [], accessLevel: AccessLevel(rawValue: accessLevel!)!,
            license: license!, updateFrequency: updateFrequency!, timeColumn: timeColumn!, sourceColumn: sourceColumn,
            fields: fields!, spatial: spatial, contact: contact, freshness: nil, updatedAt: updatedAt
        )
    }

    /// Each field's quantity must be known and its unit one the quantity accepts; columns are unique.
    private func checkFields(_ check: inout FieldChecker) {
        guard let fields else { return check.fail("fields", "is required (at least one {quantity, unit, column})") }
        check.require(!fields.isEmpty, "fields", "must list at least one {quantity, unit, column}")
        var columns: Set<String> = []
        for (index, field) in fields.enumerated() {
            let path = "fields[\(index)]"
            check.text(field.column, "\(path).column", maxLength: 100)
            check.require(columns.insert(field.column).inserted, "\(path).column", "\"\(field.column)\" is used by an earlier field")
            guard let quantity = QuantityRegistry.quantity(field.quantity) else {
                check.fail("\(path).quantity", "unknown quantity \"\(field.quantity)\"; known: \(QuantityRegistry.all.map(\.id).joined(separator: ", "))")
                continue
            }
            do {
                _ = try quantity.unit(field.unit)
            } catch {
                let accepted = quantity.acceptedUnits.map(\.symbol).joined(separator: ", ")
                check.fail("\(path).unit", "\"\(field.unit)\" is not a unit of \(quantity.id); accepted: \(accepted)")
            }
        }
    }
}
