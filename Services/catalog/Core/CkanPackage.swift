import CityEvents

/// A dataset as a CKAN package (the subset of CKAN's package dictionary that clients and harvesters
/// read): its resources are the ingest export URLs, its organization the owning agency.
public struct CkanPackage: Encodable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var title: String
    public var notes: String
    public var licenseID: String
    public var licenseTitle: String
    public var metadataModified: String
    public var ownerOrg: String
    public var organization: CkanOrganization
    public var tags: [CkanTag]
    public var resources: [CkanResource]
    public var extras: [CkanExtra]
    public var numResources: Int
    public var numTags: Int
    public var isPrivate: Bool
    public var state = "active"
    public var type = "dataset"

    enum CodingKeys: String, CodingKey {
        case id, name, title, notes, organization, tags, resources, extras, state, type
        case licenseID = "license_id", licenseTitle = "license_title", metadataModified = "metadata_modified", ownerOrg = "owner_org"
        case numResources = "num_resources", numTags = "num_tags", isPrivate = "private"
    }

    /// The package of `dataset`, owned by `organization`; resources under `ingestBaseURL`.
    public init(_ dataset: DatasetSnapshot, organization: CkanOrganization, ingestBaseURL: String) {
        id = dataset.id
        name = dataset.id
        title = dataset.title
        notes = dataset.description ?? dataset.descriptionEn ?? ""
        licenseID = dataset.license
        licenseTitle = dataset.license
        metadataModified = Self.ckanTime(dataset.updatedAt)
        ownerOrg = organization.id
        self.organization = organization
        tags = dataset.keywords.map { CkanTag(name: $0) }
        resources = CkanSearch.resourceFormats.map { format in
            CkanResource(
                id: "\(dataset.id)-\(format.lowercased())", packageID: dataset.id, name: "\(dataset.titleEn.isEmpty ? dataset.title : dataset.titleEn) (\(format))",
                format: format, url: "\(ingestBaseURL)/v1/datasets/\(dataset.id)/observations?format=\(format.lowercased())",
                mimetype: format == "CSV" ? "text/csv" : "application/json")
        }
        extras = [
            CkanExtra(key: "title_en", value: dataset.titleEn), CkanExtra(key: "theme", value: dataset.theme),
            CkanExtra(key: "access_level", value: dataset.accessLevel.rawValue), CkanExtra(key: "update_frequency", value: dataset.updateFrequency),
        ]
        numResources = resources.count
        numTags = tags.count
        isPrivate = false
    }

    /// CKAN's timestamp format: UTC, no offset, microseconds (`2025-04-01T00:01:08.000000`).
    static func ckanTime(_ time: Timestamp) -> String {
        let text = time.utc.rfc3339  // 2025-04-01T00:01:08[.fraction]Z
        let withoutZone = text.hasSuffix("Z") ? String(text.dropLast()) : text
        let parts = withoutZone.split(separator: ".", maxSplits: 1)
        let fraction = parts.count > 1 ? String(parts[1].prefix(6)) : ""
        return "\(parts[0]).\(fraction + String(repeating: "0", count: 6 - fraction.count))"
    }
}

/// A CKAN organization: an agency.
public struct CkanOrganization: Encodable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var title: String
    public var description: String
    public var isOrganization = true
    public var state = "active"
    public var type = "organization"
    /// Set by `organization_show` and `organization_list?all_fields=true`.
    public var packageCount: Int?

    enum CodingKeys: String, CodingKey {
        case id, name, title, description, state, type
        case isOrganization = "is_organization", packageCount = "package_count"
    }

    /// The organization of an agency.
    public init(id: String, title: String, description: String, packageCount: Int? = nil) {
        self.id = id
        self.name = id
        self.title = title
        self.description = description
        self.packageCount = packageCount
    }
}

/// A CKAN tag.
public struct CkanTag: Encodable, Sendable, Hashable {
    public var name: String
    enum CodingKeys: String, CodingKey { case name, displayName = "display_name" }
    public init(name: String) { self.name = name }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(name, forKey: .displayName)
    }
}

/// A CKAN resource: one ingest export of the dataset.
public struct CkanResource: Encodable, Sendable, Hashable {
    public var id: String
    public var packageID: String
    public var name: String
    public var format: String
    public var url: String
    public var mimetype: String
    enum CodingKeys: String, CodingKey { case id, name, format, url, mimetype, packageID = "package_id" }
}

/// A CKAN extra (key/value).
public struct CkanExtra: Encodable, Sendable, Hashable {
    public var key: String
    public var value: String
}
