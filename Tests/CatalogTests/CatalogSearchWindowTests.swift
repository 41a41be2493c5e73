import CatalogCore
import CityRuntime
import CityTestSupport
import Foundation
import PostgresNIO
import Testing

/// `GET /v1/datasets` over more datasets than the tiered statement's window (2,000): every page and
/// total must equal a brute-force ranking of the whole table — the window complete or not, tiers dense
/// or sparse (read through their own indexes), with theme, agency and access-level filters.
@Suite("Dataset search beyond the window")
struct CatalogSearchWindowTests {
    @Test("Pages and totals equal a brute-force ORDER BY tier, id over 6,000 datasets")
    func pagesMatchBruteForce() async throws {
        try await CatalogProcess.with { catalog in
            let agencies = ["win-a", "win-b", "win-c"]
            for agency in agencies {
                _ = try await catalog.post("/v1/agencies", ["id": agency, "name": "Cơ quan \(agency)"], headers: catalog.admin)
            }
            let schema = catalog.service.role.schema
            // "hiếm" is in four titles only, spread over the id order: a sparse tier the window mostly misses.
            let snapshots = (0..<6_000).map { index in
                GeneratedDatasets.snapshot(index, idPrefix: "w", agencies: agencies, extraTitle: index % 1_500 == 1_499 ? "hiếm" : nil)
            }
            try await TestDatabase.withAdminClient { client in
                try await GeneratedDatasets.insert(snapshots, schema: schema, client: client)
                try await client.query(PostgresQuery(unsafeSQL: "ANALYZE \(schema.quoted).datasets"))
            }
            let cases = [
                "q=ha+noi", "q=H%C3%80+N%E1%BB%98I&page=3", "q=hiem", "q=hiem&pageSize=2&page=2", "q=hiem&agency=win-b",
                "q=du+lieu&page=5", "q=du+lieu&pageSize=100&page=25", "q=dataset+1&pageSize=50&page=3", "q=dataset&pageSize=100&page=60",
                "q=water&theme=water", "q=ha&theme=transport&page=2", "q=bus&agency=win-a", "q=quan&agency=win-c&theme=health",
                "q=cau&accessLevel=restricted", "q=ngap+lut&accessLevel=public&page=2", "q=tram+quan&theme=energy&accessLevel=restricted",
                "q=nothing+here", "theme=energy&page=7", "agency=win-a&pageSize=100&page=3", "accessLevel=restricted&page=40",
            ]
            for query in cases {
                let reply = try await catalog.service.http.get("/v1/datasets?\(query)")
                try #require(reply.status == 200, "\(query): \(reply.body.prefix(300))")
                let got = (reply.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                let parameters = Dictionary(uniqueKeysWithValues: query.split(separator: "&").map { pair in
                    let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
                    return (parts[0], parts.count > 1 ? parts[1] : "")
                })
                let search = try SearchQuery(parameters: parameters)
                let (expected, count) = try await Self.bruteForce(search, schema: schema)
                #expect(got == expected, "\(query): page differs from the brute-force ranking")
                // The documented contract (docs/catalog.md): exact up to max(100, end of the page), "more than" beyond.
                let cap = max(100, search.offset + search.limit) + 1
                #expect(reply.json["total"] as? Int == min(count, cap - 1), "\(query): \(count) matches")
                #expect(reply.json["totalExact"] as? Bool == (count < cap), "\(query): \(count) matches, cap \(cap)")
            }
        }
    }

    /// The page and the full match count, ranked by the tier definition itself over the whole table.
    static func bruteForce(_ search: SearchQuery, schema: SQLIdentifier) async throws -> ([String], Int) {
        var binds = PostgresBindings()
        var conditions: [String] = []
        var order = "id"  // without words, relevance is id order
        if let words = search.tsquery {
            binds.append(words)
            conditions.append("search @@ to_tsquery('simple', $1)")
            order = """
                CASE WHEN search @@ to_tsquery('simple', replace($1, ':*', ':*A')) THEN 0
                     WHEN search @@ to_tsquery('simple', replace($1, ':*', ':*AB')) THEN 1 ELSE 2 END, id
                """
        }
        for (column, value) in [("theme", search.theme), ("agency_id", search.agencyIDs.first), ("access_level", search.accessLevel?.rawValue)] {
            guard let value else { continue }
            binds.append(value)
            conditions.append("\(column) = $\(binds.count)")
        }
        let sql = """
            SELECT id, count(*) OVER ()::int FROM \(schema.quoted).datasets
            WHERE \(conditions.isEmpty ? "true" : conditions.joined(separator: " AND "))
            ORDER BY \(order)
            """
        let query = PostgresQuery(unsafeSQL: sql, binds: binds)
        return try await TestDatabase.withAdminClient { client in
            var ids: [String] = []
            var count = 0
            for try await (id, total) in try await client.query(query).decode((String, Int).self) {
                ids.append(id)
                count = total
            }
            return (Array(ids.dropFirst(search.offset).prefix(search.limit)), count)
        }
    }
}
