import CatalogCore
import CityEvents
import CityRuntime
import CityTestSupport
import PostgresNIO

/// Many datasets written straight into a catalog's table, folded as the service folds them — for the
/// search benchmark and for the tests that need more datasets than the HTTP API would create quickly.
enum GeneratedDatasets {
    static let words = [
        "Chất lượng", "không khí", "Hà Nội", "giao thông", "nước sạch", "rác thải", "điện năng", "Đà Nẵng", "Huế", "quận Ba Đình",
        "trạm quan trắc", "bụi mịn", "tiếng ồn", "ngập lụt", "xe buýt", "đường", "cầu", "bệnh viện", "trường học", "dân số",
        "air quality", "traffic", "water", "waste", "energy", "station", "district", "flood", "bus", "hospital",
    ]
    static let themes = ["environment", "transport", "energy", "water", "waste", "health"]

    /// The snapshot of generated dataset `index`: two title words, a description word pair, one keyword,
    /// a theme and an owner cycling through their lists, one in four restricted. `extraTitle` is
    /// appended to the title (a word made rare on purpose).
    static func snapshot(_ index: Int, idPrefix: String, agencies: [String], extraTitle: String? = nil) -> DatasetSnapshot {
        let title = "\(words[index % words.count]) \(words[(index / words.count) % words.count]) \(index)" + (extraTitle.map { " " + $0 } ?? "")
        return DatasetSnapshot(
            id: "\(idPrefix)-\(index)", agencyId: agencies[index % agencies.count], title: title, titleEn: "Dataset \(index)",
            description: "Dữ liệu \(words[(index * 7) % words.count]) của \(words[(index * 11) % words.count])",
            theme: themes[index % themes.count], keywords: [words[(index * 3) % words.count]], accessLevel: index % 4 == 0 ? .restricted : .public,
            license: "CC-BY-4.0", updateFrequency: "PT1H", timeColumn: "timestamp", fields: [DatasetField(quantity: "pm25", unit: "ug/m3", column: "pm25")],
            updatedAt: .now())
    }

    /// Inserts `snapshots` in one statement (arrays unnested).
    static func insert(_ snapshots: [DatasetSnapshot], schema: SQLIdentifier, client: PostgresClient) async throws {
        var ids: [String] = [], owners: [String] = [], themeColumn: [String] = [], levels: [String] = [], documents: [String] = []
        var titles: [String] = [], keywords: [String] = [], descriptions: [String] = []
        for snapshot in snapshots {
            let search = SearchDocument(snapshot)
            ids.append(snapshot.id)
            owners.append(snapshot.agencyId)
            themeColumn.append(snapshot.theme)
            levels.append(snapshot.accessLevel.rawValue)
            documents.append(String(decoding: try snapshot.encodeJSON(), as: UTF8.self))
            titles.append(search.titles)
            keywords.append(search.keywords)
            descriptions.append(search.descriptions)
        }
        try await client.query(
            """
            INSERT INTO \(unescaped: schema.quoted).datasets
                (id, agency_id, theme, access_level, document, title_folded, keywords_folded, description_folded, updated_at)
            SELECT id, agency, theme, level, document::jsonb, title, keyword, description, now()
            FROM unnest(\(ids)::text[], \(owners)::text[], \(themeColumn)::text[], \(levels)::text[], \(documents)::text[],
                        \(titles)::text[], \(keywords)::text[], \(descriptions)::text[])
                AS t(id, agency, theme, level, document, title, keyword, description)
            """)
    }
}
