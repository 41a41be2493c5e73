import CityEvents

/// A dataset search, validated: folded words, filters, an order and a window. Built from the REST
/// parameters (``init(parameters:)``) or from CKAN's `package_search` (``CkanSearch``).
public struct SearchQuery: Sendable, Hashable {
    /// How results are ordered; ties are broken by id, so that windows are stable.
    public enum Order: Sendable, Hashable {
        /// Best `ts_rank` first (by id without words).
        case relevance
        case id(ascending: Bool)
        case title(ascending: Bool)
        case modified(ascending: Bool)
    }

    /// The folded words of `q`; every one must match (as a word prefix).
    public var words: [String]
    public var theme: String?
    public var agencyIDs: [String]
    public var accessLevel: AccessLevel?
    /// Keywords the dataset must all have (exact).
    public var keywords: [String]
    /// `false` when a filter can match nothing (e.g. a resource format the catalog does not offer).
    public var satisfiable: Bool
    public var order: Order
    /// Rows to skip.
    public var offset: Int
    /// Rows to return.
    public var limit: Int

    /// The largest REST page size.
    public static let maxPageSize = 100

    /// Creates a query.
    public init(
        words: [String] = [], theme: String? = nil, agencyIDs: [String] = [], accessLevel: AccessLevel? = nil, keywords: [String] = [],
        satisfiable: Bool = true, order: Order = .relevance, offset: Int = 0, limit: Int = 20
    ) {
        self.words = words
        self.theme = theme
        self.agencyIDs = agencyIDs
        self.accessLevel = accessLevel
        self.keywords = keywords
        self.satisfiable = satisfiable
        self.order = order
        self.offset = offset
        self.limit = limit
    }

    /// The REST page number (from 1).
    public var page: Int { offset / max(limit, 1) + 1 }

    /// Parses `GET /v1/datasets` parameters (`q`, `theme`, `agency`, `accessLevel`, `page`, `pageSize`).
    public init(parameters: [String: String]) throws(ValidationFailure) {
        var check = FieldChecker()
        self.init(words: TextFolding.words(parameters["q"] ?? ""))
        check.require(words.count <= 32, "q", "must have at most 32 words")
        theme = parameters["theme"].flatMap { $0.isEmpty ? nil : $0 }
        agencyIDs = parameters["agency"].flatMap { $0.isEmpty ? nil : [$0] } ?? []
        if let level = parameters["accessLevel"], !level.isEmpty {
            accessLevel = AccessLevel(rawValue: level)
            check.require(accessLevel != nil, "accessLevel", "must be public or restricted; got \"\(level)\"")
        }
        var page = 1
        if let text = parameters["page"] {
            let value = Int(text)
            check.require(value.map { $0 >= 1 && $0 <= 100_000 } ?? false, "page", "must be an integer from 1 to 100000; got \"\(text)\"")
            page = value ?? 1
        }
        if let text = parameters["pageSize"] {
            let value = Int(text)
            check.require(value.map { (1...Self.maxPageSize).contains($0) } ?? false, "pageSize", "must be an integer from 1 to \(Self.maxPageSize); got \"\(text)\"")
            limit = value ?? 20
        }
        offset = (page - 1) * limit
        try check.finish()
    }

    /// The Postgres `to_tsquery('simple', …)` text: every word as a prefix, all required; `nil`
    /// when there are no words. Words hold only letters and digits, so the text is always valid.
    public var tsquery: String? {
        guard !words.isEmpty else { return nil }
        return words.map { "\($0):*" }.joined(separator: " & ")
    }
}

/// The text a dataset is found by, folded, in three weights: titles, keywords, descriptions.
public struct SearchDocument: Sendable, Hashable {
    /// Vietnamese and English titles.
    public var titles: String
    /// Keywords and theme.
    public var keywords: String
    /// Descriptions, agency id and place name.
    public var descriptions: String

    /// The search document of a dataset.
    public init(_ dataset: DatasetSnapshot) {
        titles = TextFolding.fold([dataset.title, dataset.titleEn].joined(separator: " "))
        keywords = TextFolding.fold((dataset.keywords + [dataset.theme]).joined(separator: " "))
        descriptions = TextFolding.fold(
            [dataset.description, dataset.descriptionEn, dataset.spatial?.placeName, dataset.agencyId].compactMap { $0 }.joined(separator: " "))
    }
}
