import CatalogCore
import CityEvents
import PostgresNIO

/// The `GET /v1/datasets` search statement, built to answer in milliseconds over 100,000 datasets
/// (docs/catalog.md, "Search"; measurements in docs/benchmarks.md).
///
/// Relevance is a **tier** — 0: every word in a title, 1: every word in titles or keywords, 2:
/// anywhere — then id. The first `window` datasets that pass the theme/agency filters, in index
/// order, are tiered at once; a tier that holds enough rows there for the page is read from the
/// window, a sparse one through its own GIN index (cheap exactly because it is sparse). The total is
/// counted only up to `countCap` (at least the page's end + 1), so a broad word never costs a count
/// of every match: beyond the cap the answer says "more than". Every client value is a bind; the SQL
/// text only varies with which filters are present and with the window numbers.
///
/// One statement, one row per dataset of the page — or one row of NULLs carrying the total when the
/// page is empty. Columns: document, last observed (JSON text), late, counted total.
struct TieredSearchStatement {
    static let window = 2_000
    static let minimumCountCap = 100

    let query: SearchQuery

    /// Rows needed from the ordered tiers: everything up to the end of the page.
    var pageEnd: Int { query.offset + query.limit }
    /// Counting stops at this many matches (a result of `countCap` means "at least").
    var countCap: Int { max(Self.minimumCountCap, pageEnd) + 1 }

    /// The statement, or `nil` when this query is not one it serves (several agencies, another order).
    func make() -> PostgresQuery? {
        guard query.agencyIDs.count <= 1 else { return nil }
        switch query.order {
        case .relevance: break
        default: return nil
        }
        var binds = PostgresBindings()
        var next = 1
        func bind(_ value: String) -> String {
            binds.append(value)
            defer { next += 1 }
            return "$\(next)"
        }
        let words = query.tsquery.map(bind)
        let theme = query.theme.map(bind)
        let agency = query.agencyIDs.first.map(bind)
        let access = query.accessLevel.map { bind($0.rawValue) }
        let keywords = query.keywords.isEmpty ? nil : bind(String(decoding: (try? PayloadJSON.encode(query.keywords)) ?? Array("[]".utf8), as: UTF8.self))

        // Filters as plain equalities (fallbacks and counts), and the ones never used to pick an index.
        var residual: [String] = []
        if let access { residual.append("d.access_level = \(access)") }
        if let keywords { residual.append("d.document->'keywords' @> \(keywords)::jsonb") }
        var equalities: [String] = []
        if let theme { equalities.append("d.theme = \(theme)") }
        if let agency { equalities.append("d.agency_id = \(agency)") }
        let filters = (equalities + residual).map { " AND " + $0 }.joined()

        // The window walks an index in order: (agency, id), (theme, id) or the primary key. The range
        // form keeps the planner from dropping the leading column from the order.
        let windowWhere: String, windowOrder: String, after: String
        if let agency {
            windowWhere = "d.agency_id >= \(agency) AND d.agency_id <= \(agency)" + (theme.map { " AND d.theme = \($0)" } ?? "")
            windowOrder = "d.agency_id, d.id"
            after = "(d.agency_id, d.id) > (\(agency), (SELECT last FROM n))"
        } else if let theme {
            windowWhere = "d.theme >= \(theme) AND d.theme <= \(theme)"
            windowOrder = "d.theme, d.id"
            after = "(d.theme, d.id) > (\(theme), (SELECT last FROM n))"
        } else {
            windowWhere = "true"
            windowOrder = "d.id"
            after = "d.id > (SELECT last FROM n)"
        }

        guard let words else {
            return PostgresQuery(unsafeSQL: withoutWords(filters: filters), binds: binds)
        }
        let match = "d.search @@ to_tsquery('simple', \(words))"
        let titles = "d.search @@ to_tsquery('simple', replace(\(words), ':*', ':*A'))"
        let titlesOrKeywords = "d.search @@ to_tsquery('simple', replace(\(words), ':*', ':*AB'))"
        let residualMatch = residual.map { " AND " + $0 }.joined()
        let k = pageEnd, cap = countCap, window = Self.window
        // Spelled exactly so: the index expressions (the planner matches them), `d.id || ''` (keeps
        // the fallbacks off the id index) and `ts_match_vq` (keeps the count continuation off GIN).
        let sql = """
            WITH win AS MATERIALIZED (
                SELECT d.id, CASE WHEN NOT (\(match)\(residualMatch)) THEN NULL
                                  WHEN \(titles) THEN 0 WHEN \(titlesOrKeywords) THEN 1 ELSE 2 END AS tier
                FROM datasets d WHERE \(windowWhere) ORDER BY \(windowOrder) LIMIT \(window)
            ), n AS MATERIALIZED (
                SELECT count(*) < \(window) AS complete, count(*) AS scanned, max(id) AS last, count(tier) AS matched,
                       count(*) FILTER (WHERE tier = 0) AS n0, count(*) FILTER (WHERE tier = 1) AS n1, count(*) FILTER (WHERE tier = 2) AS n2
                FROM win
            ), total AS MATERIALIZED (
                SELECT CASE WHEN complete THEN matched
                            WHEN matched >= \(cap) THEN \(cap)
                            WHEN matched * 10000 >= scanned * \(cap) THEN matched + (
                                SELECT count(*) FROM (
                                    SELECT FROM datasets d WHERE \(windowWhere) AND \(after)
                                        AND ts_match_vq(d.search, to_tsquery('simple', \(words)))\(residualMatch)
                                    ORDER BY \(windowOrder) LIMIT (SELECT \(cap) - matched FROM n)) c)
                            ELSE (SELECT count(*) FROM (SELECT FROM datasets d WHERE \(match)\(filters) LIMIT \(cap)) c)
                       END::int AS total
                FROM n
            ), t0 AS MATERIALIZED (
                (SELECT id FROM win WHERE tier = 0 AND (SELECT complete OR n0 >= \(k) FROM n) ORDER BY id LIMIT \(k))
                UNION ALL
                (SELECT d.id FROM datasets d WHERE (SELECT NOT complete AND n0 < \(k) FROM n) AND (SELECT total FROM total) > 0
                    AND to_tsvector('simple', d.title_folded) @@ to_tsquery('simple', \(words))\(filters)
                 ORDER BY d.id || '' LIMIT \(k))
            ), t1 AS MATERIALIZED (
                (SELECT id FROM win WHERE tier = 1 AND (SELECT complete OR n1 >= \(k) FROM n) ORDER BY id LIMIT \(k))
                UNION ALL
                (SELECT d.id FROM datasets d WHERE (SELECT NOT complete AND n1 < \(k) FROM n) AND (SELECT total FROM total) > 0
                    AND (SELECT count(*) FROM t0) < \(k)
                    AND (to_tsvector('simple', d.title_folded) || to_tsvector('simple', d.keywords_folded)) @@ to_tsquery('simple', \(words))
                    AND NOT \(titles)\(filters)
                 ORDER BY d.id || '' LIMIT \(k))
            ), t2 AS MATERIALIZED (
                (SELECT id FROM win WHERE tier = 2 AND (SELECT complete OR n2 >= \(k) FROM n) ORDER BY id LIMIT \(k))
                UNION ALL
                (SELECT d.id FROM datasets d WHERE (SELECT NOT complete AND n2 < \(k) FROM n) AND (SELECT total FROM total) > 0
                    AND (SELECT count(*) FROM t0) + (SELECT count(*) FROM t1) < \(k)
                    AND \(match) AND NOT \(titlesOrKeywords)\(filters)
                 ORDER BY d.id || '' LIMIT \(k))
            ), page AS (
                SELECT id, tier FROM (SELECT id, 0 AS tier FROM t0 UNION ALL SELECT id, 1 FROM t1 UNION ALL SELECT id, 2 FROM t2) t
                ORDER BY tier, id LIMIT \(query.limit) OFFSET \(query.offset)
            )
            SELECT d.document::text, to_json(d.last_observed_at) #>> '{}', d.late, total.total
            FROM total LEFT JOIN (page JOIN datasets d USING (id)) ON true ORDER BY page.tier, page.id
            """
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }

    /// Without words, relevance is id order: the page by the primary key, the total counted up to the cap.
    private func withoutWords(filters: String) -> String {
        """
        SELECT d.document::text, to_json(d.last_observed_at) #>> '{}', d.late, total.total
        FROM (SELECT count(*)::int AS total FROM (SELECT FROM datasets d WHERE true\(filters) LIMIT \(countCap)) c) total
        LEFT JOIN (SELECT d.* FROM datasets d WHERE true\(filters) ORDER BY d.id LIMIT \(query.limit) OFFSET \(query.offset)) d ON true
        ORDER BY d.id
        """
    }
}
