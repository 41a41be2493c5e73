/// `vn.citydata.dataset.updated.v1` on the compacted `city.catalog.datasets.v1`, keyed by dataset
/// id: the full current description of a dataset — owner, schema (fields), access level, update
/// frequency and freshness. A tombstone deletes the dataset.
public struct DatasetSnapshot: SnapshotPayload, Hashable {
    public static let eventType = EventType.datasetUpdated
    public static let topic = TopicName.datasets

    /// The dataset id, e.g. `hanoi-air-quality`.
    public var id: String
    /// The owning agency.
    public var agencyId: String
    /// Vietnamese title.
    public var title: String
    /// English title.
    public var titleEn: String
    /// Vietnamese description.
    public var description: String?
    /// English description.
    public var descriptionEn: String?
    /// Theme, e.g. `environment`, `transport`.
    public var theme: String
    /// Search keywords.
    public var keywords: [String]
    /// Who may receive the data.
    public var accessLevel: AccessLevel
    /// Licence identifier, e.g. `CC-BY-4.0`.
    public var license: String
    /// Expected update interval as an ISO 8601 duration, e.g. `PT1H`.
    public var updateFrequency: String
    /// The column or field holding the observation time.
    public var timeColumn: String
    /// The column holding the source id, when the data has one (otherwise the publisher names it).
    public var sourceColumn: String?
    /// The measured quantities and how publishers send them.
    public var fields: [DatasetField]
    /// Where the data applies.
    public var spatial: SpatialCoverage?
    /// Who to ask about the data.
    public var contact: DatasetContact?
    /// How current the data is.
    public var freshness: DatasetFreshness?
    /// When the dataset description last changed.
    public var updatedAt: Timestamp

    /// Creates a dataset snapshot.
    public init(
        id: String, agencyId: String, title: String, titleEn: String, description: String? = nil,
        descriptionEn: String? = nil, theme: String, keywords: [String] = [], accessLevel: AccessLevel,
        license: String, updateFrequency: String, timeColumn: String, sourceColumn: String? = nil,
        fields: [DatasetField], spatial: SpatialCoverage? = nil, contact: DatasetContact? = nil,
        freshness: DatasetFreshness? = nil, updatedAt: Timestamp
    ) {
        self.id = id
        self.agencyId = agencyId
        self.title = title
        self.titleEn = titleEn
        self.description = description
        self.descriptionEn = descriptionEn
        self.theme = theme
        self.keywords = keywords
        self.accessLevel = accessLevel
        self.license = license
        self.updateFrequency = updateFrequency
        self.timeColumn = timeColumn
        self.sourceColumn = sourceColumn
        self.fields = fields
        self.spatial = spatial
        self.contact = contact
        self.freshness = freshness
        self.updatedAt = updatedAt
    }

    public var entityId: String { id }
    public var defaultSubject: String? { id }
}

/// Who may receive a dataset's data.
public enum AccessLevel: String, Codable, Sendable, Hashable, CaseIterable {
    /// Every agency.
    case `public`
    /// The owner and agencies holding a grant.
    case restricted
}

/// One measured quantity of a dataset: which column carries it and in which unit publishers send it
/// (ingest converts to the quantity's canonical unit).
public struct DatasetField: Codable, Sendable, Hashable {
    /// The quantity id, e.g. `pm25`.
    public var quantity: String
    /// The unit the publisher sends, e.g. `ug/m3` (any accepted spelling).
    public var unit: String
    /// The CSV column or JSON measurement name.
    public var column: String

    /// Creates a field.
    public init(quantity: String, unit: String, column: String) {
        self.quantity = quantity
        self.unit = unit
        self.column = column
    }
}

/// The area a dataset covers.
public struct SpatialCoverage: Codable, Sendable, Hashable {
    /// Administrative area codes covered.
    public var areaCodes: [String]?
    /// Bounding box `[minLon, minLat, maxLon, maxLat]` (GeoJSON order), WGS 84.
    public var boundingBox: [Double]?
    /// A human-readable place name, e.g. `Hà Nội`.
    public var placeName: String?

    /// Creates a coverage.
    public init(areaCodes: [String]? = nil, boundingBox: [Double]? = nil, placeName: String? = nil) {
        self.areaCodes = areaCodes
        self.boundingBox = boundingBox
        self.placeName = placeName
    }
}

/// Who to contact about a dataset.
public struct DatasetContact: Codable, Sendable, Hashable {
    /// Person or office.
    public var name: String?
    /// E-mail address.
    public var email: String?
    /// Telephone number.
    public var phone: String?

    /// Creates a contact.
    public init(name: String? = nil, email: String? = nil, phone: String? = nil) {
        self.name = name
        self.email = email
        self.phone = phone
    }
}

/// How current a dataset is.
public struct DatasetFreshness: Codable, Sendable, Hashable {
    /// The latest observation time seen.
    public var lastObservedAt: Timestamp?
    /// Whether the dataset is late against its update frequency.
    public var late: Bool

    /// Creates a freshness record.
    public init(lastObservedAt: Timestamp? = nil, late: Bool) {
        self.lastObservedAt = lastObservedAt
        self.late = late
    }
}
