import CityEvents

/// The catalog and its datasets as DCAT-AP JSON-LD, with an inline `@context` (nothing to fetch to
/// parse it). Each dataset carries DCAT-AP's mandatory properties — `dct:title`, `dct:description`
/// (the title when the dataset has none), `dct:publisher` — and one `dcat:Distribution` per ingest
/// export, each with its `dcat:accessURL`.
public struct DcatDocument: Sendable {
    /// Where the catalog is served (`PUBLIC_CATALOG_URL`), for the node ids.
    public var catalogBaseURL: String
    /// Where ingest serves the exports (`PUBLIC_INGEST_URL`).
    public var ingestBaseURL: String

    /// Creates a builder.
    public init(catalogBaseURL: String, ingestBaseURL: String) {
        self.catalogBaseURL = catalogBaseURL
        self.ingestBaseURL = ingestBaseURL
    }

    /// The inline JSON-LD context.
    public static let context: JSONValue = .object([
        "dcat": .string("http://www.w3.org/ns/dcat#"),
        "dct": .string("http://purl.org/dc/terms/"),
        "foaf": .string("http://xmlns.com/foaf/0.1/"),
        "vcard": .string("http://www.w3.org/2006/vcard/ns#"),
        "xsd": .string("http://www.w3.org/2001/XMLSchema#"),
        "dct:modified": .object(["@type": .string("xsd:dateTime")]),
        "dcat:accessURL": .object(["@type": .string("@id")]),
        "dcat:downloadURL": .object(["@type": .string("@id")]),
        "dct:license": .object(["@type": .string("@id")]),
        "dct:accessRights": .object(["@type": .string("@id")]),
        "dcat:theme": .object(["@type": .string("@id")]),
    ])

    /// The whole catalog: every dataset with its publisher's name.
    public func catalog(_ datasets: [DatasetSnapshot], publishers: [String: String]) -> JSONValue {
        .object([
            "@context": Self.context,
            "@id": .string("\(catalogBaseURL)/v1/catalog.jsonld"),
            "@type": .string("dcat:Catalog"),
            "dct:title": Self.texts(vi: "Danh mục dữ liệu CityData", en: "CityData data catalog"),
            "dct:description": Self.texts(vi: "Dữ liệu do các cơ quan của thành phố chia sẻ", en: "Data shared by the city's agencies"),
            "dct:publisher": .object(["@type": .string("foaf:Agent"), "foaf:name": .string("CityData")]),
            "dcat:dataset": .array(datasets.map { node($0, publisher: publishers[$0.agencyId]) }),
        ])
    }

    /// One dataset as a standalone document.
    public func dataset(_ dataset: DatasetSnapshot, publisher: String?) -> JSONValue {
        guard case .object(var node) = node(dataset, publisher: publisher) else { return .null }
        node["@context"] = Self.context
        return .object(node)
    }

    private func node(_ dataset: DatasetSnapshot, publisher: String?) -> JSONValue {
        let id = "\(catalogBaseURL)/v1/datasets/\(dataset.id)"
        var node: [String: JSONValue] = [
            "@id": .string(id),
            "@type": .string("dcat:Dataset"),
            "dct:identifier": .string(dataset.id),
            "dct:title": Self.texts(vi: dataset.title, en: dataset.titleEn),
            "dct:description": Self.texts(vi: dataset.description ?? dataset.title, en: dataset.descriptionEn ?? dataset.titleEn),
            "dct:publisher": .object([
                "@id": .string("\(catalogBaseURL)/v1/agencies/\(dataset.agencyId)"), "@type": .string("foaf:Agent"),
                "foaf:name": .string(publisher ?? dataset.agencyId),
            ]),
            "dct:modified": .string(dataset.updatedAt.utc.rfc3339),
            "dct:accessRights": .string(
                "http://publications.europa.eu/resource/authority/access-right/\(dataset.accessLevel == .public ? "PUBLIC" : "RESTRICTED")"),
            "dcat:keyword": .array(dataset.keywords.map(JSONValue.string)),
            "dcat:distribution": .array(CkanSearch.resourceFormats.map { format in
                let url = "\(ingestBaseURL)/v1/datasets/\(dataset.id)/observations?format=\(format.lowercased())"
                return .object([
                    "@id": .string("\(id)#\(format.lowercased())"), "@type": .string("dcat:Distribution"),
                    "dcat:accessURL": .string(url), "dcat:downloadURL": .string(url), "dct:format": .string(format),
                    "dcat:mediaType": .string(format == "CSV" ? "text/csv" : "application/json"),
                    "dct:license": .string("https://spdx.org/licenses/\(dataset.license)"),
                ])
            }),
        ]
        if let theme = Self.euTheme[dataset.theme] {
            node["dcat:theme"] = .string("http://publications.europa.eu/resource/authority/data-theme/\(theme)")
        }
        if let contact = dataset.contact, contact.name != nil || contact.email != nil {
            var card: [String: JSONValue] = ["@type": .string("vcard:Kind")]
            if let name = contact.name { card["vcard:fn"] = .string(name) }
            if let email = contact.email { card["vcard:hasEmail"] = .object(["@id": .string("mailto:\(email)")]) }
            node["dcat:contactPoint"] = .object(card)
        }
        return .object(node)
    }

    /// Language-tagged texts; an empty English text is left out.
    private static func texts(vi: String, en: String) -> JSONValue {
        var values: [JSONValue] = [.object(["@value": .string(vi), "@language": .string("vi")])]
        if !en.isEmpty { values.append(.object(["@value": .string(en), "@language": .string("en")])) }
        return .array(values)
    }

    /// The EU data-theme vocabulary code of each catalog theme.
    static let euTheme: [String: String] = [
        "environment": "ENVI", "transport": "TRAN", "energy": "ENER", "water": "ENVI", "waste": "ENVI", "health": "HEAL",
        "safety": "JUST", "economy": "ECON", "population": "SOCI", "government": "GOVE",
    ]
}
