import CatalogCore
import CityEvents
import CityRuntime
import Foundation
import PostgresNIO

/// One page of search results, as `GET /v1/datasets` answers.
struct DatasetPage: Encodable, Sendable {
    var items: [DatasetSnapshot]
    var page: Int
    var pageSize: Int
    /// The number of matches — exact when `totalExact`, otherwise "more than this".
    var total: Int
    var totalExact: Bool
}

/// The columns search results can be counted by.
enum DatasetFacet: String, Sendable {
    case agency = "agency_id"
    case theme
    case accessLevel = "access_level"
    case keyword
}

/// Datasets: their descriptions (stored as the snapshot document), search, and the outbox events of
/// every change. Deleting a dataset also deletes its grants (their tombstones go first).
struct DatasetRepository: Sendable {
    let database: CatalogDatabase
    private var logger: Logger { database.logger }

    func find(_ id: String) async throws -> DatasetSnapshot? {
        try await database.postgres.withConnection { connection in try await find(id, on: connection, lock: false) }
    }

    /// Ranked, filtered, windowed search; see ``SearchQuery``. Returns the window and the number of
    /// all matches.
    func search(_ query: SearchQuery) async throws -> (items: [DatasetSnapshot], total: Int) {
        guard query.satisfiable else { return ([], 0) }
        let rows = try await database.postgres.withConnection { connection in
            try await connection.rows(
                Self.filtered(
                    query, select: "\(Self.columns), count(*) OVER ()::int",
                    tail: "ORDER BY \(Self.orderBy(query.order)) LIMIT \(query.limit) OFFSET \(query.offset)"),
                as: (String, String?, Bool, Int).self, logger: logger)
        }
        let items = try rows.map { try Self.snapshot(document: $0.0, lastObservedAt: $0.1, late: $0.2) }
        if let total = rows.first?.3 { return (items, total) }
        // An empty window (past the last row, or a limit of 0) carries no count: count without one.
        return (items, try await count(query))
    }

    /// One page of `GET /v1/datasets`: ranked by tier (``TieredSearchStatement``) with a total
    /// counted exactly up to at least 100 (beyond: `exact` is false and `total` a lower bound). Other
    /// orders and several agencies take the exact path (``search(_:)``).
    func page(_ query: SearchQuery) async throws -> (items: [DatasetSnapshot], total: Int, exact: Bool) {
        guard query.satisfiable else { return ([], 0, true) }
        let statement = TieredSearchStatement(query: query)
        guard let sql = statement.make() else {
            let result = try await search(query)
            return (result.items, result.total, true)
        }
        let rows = try await database.postgres.withConnection { connection in
            try await connection.rows(sql, as: (String?, String?, Bool?, Int).self, logger: logger)
        }
        var items: [DatasetSnapshot] = []
        for (document, lastObservedAt, late, _) in rows {
            guard let document else { continue }  // the row of an empty page, carrying only the total
            items.append(try Self.snapshot(document: document, lastObservedAt: lastObservedAt, late: late ?? false))
        }
        let counted = rows.first?.3 ?? 0
        return (items, min(counted, statement.countCap - 1), counted < statement.countCap)
    }

    /// How many datasets match `query`.
    func count(_ query: SearchQuery) async throws -> Int {
        guard query.satisfiable else { return 0 }
        return try await database.postgres.withConnection { connection in
            try await connection.values(Self.filtered(query, select: "count(*)::int", tail: ""), as: Int.self, logger: logger).first ?? 0
        }
    }

    /// How many matches of `query` fall in each value of `facet` (`agency_id`, `theme`,
    /// `access_level`, or `keyword`), most first.
    func facet(_ facet: DatasetFacet, of query: SearchQuery, limit: Int) async throws -> [(value: String, count: Int)] {
        guard query.satisfiable else { return [] }
        // Keywords are a JSON array: one row per keyword, through a lateral join.
        let from = facet == .keyword ? "datasets CROSS JOIN LATERAL jsonb_array_elements_text(document->'keywords') AS facet(value)" : "datasets"
        let select = facet == .keyword ? "facet.value, count(*)::int" : "\(facet.rawValue), count(*)::int"
        let group = facet == .keyword ? "facet.value" : facet.rawValue
        return try await database.postgres.withConnection { connection in
            try await connection.rows(
                Self.filtered(query, select: select, from: from, tail: "GROUP BY \(group) ORDER BY count(*) DESC, \(group) LIMIT \(max(0, limit))"),
                as: (String, Int).self, logger: logger
            ).map { (value: $0.0, count: $0.1) }
        }
    }

    /// `SELECT <select> FROM <from> WHERE <the query's filters> <tail>`; `select`, `from` and `tail`
    /// are SQL written here, never client text (every client value is a bind).
    private static func filtered(_ query: SearchQuery, select: String, from: String = "datasets", tail: String) -> PostgresQuery {
        let tsquery = query.tsquery
        let keywords = String(decoding: (try? PayloadJSON.encode(query.keywords)) ?? Array("[]".utf8), as: UTF8.self)
        return """
            SELECT \(unescaped: select) FROM \(unescaped: from)
            WHERE (\(tsquery)::text IS NULL OR search @@ to_tsquery('simple', \(tsquery)))
              AND (\(query.theme)::text IS NULL OR theme = \(query.theme))
              AND (cardinality(\(query.agencyIDs)::text[]) = 0 OR agency_id = ANY(\(query.agencyIDs)::text[]))
              AND (\(query.accessLevel?.rawValue)::text IS NULL OR access_level = \(query.accessLevel?.rawValue))
              AND document->'keywords' @> \(keywords)::jsonb
            \(unescaped: tail)
            """
    }

    private static func orderBy(_ order: SearchQuery.Order) -> String {
        switch order {
        // $1 is the tsquery: the first bind of `filtered`.
        case .relevance: "CASE WHEN $1::text IS NULL THEN 0 ELSE ts_rank(search, to_tsquery('simple', $1)) END DESC, id"
        case .id(let ascending): "id \(ascending ? "ASC" : "DESC")"
        case .title(let ascending): "document->>'title' \(ascending ? "ASC" : "DESC"), id"
        case .modified(let ascending): "updated_at \(ascending ? "ASC" : "DESC"), id"
        }
    }

    /// Creates a dataset; 409 when the id is taken, 422 when the owner does not exist.
    func create(_ snapshot: DatasetSnapshot) async throws {
        try await database.transaction { connection in
            guard try await AgencyRepository(database: database).exists(snapshot.agencyId, on: connection) else {
                throw ProblemMapping.validation(ValidationFailure([FieldError(field: "agencyId", reason: "no agency with id \"\(snapshot.agencyId)\"")]))
            }
            let document = try Self.document(snapshot)
            let search = SearchDocument(snapshot)
            let inserted = try await connection.values(
                """
                INSERT INTO datasets (id, agency_id, theme, access_level, document, title_folded, keywords_folded, description_folded, updated_at)
                VALUES (\(snapshot.id), \(snapshot.agencyId), \(snapshot.theme), \(snapshot.accessLevel.rawValue), \(document)::jsonb,
                        \(search.titles), \(search.keywords), \(search.descriptions), \(snapshot.updatedAt.rfc3339)::timestamptz)
                ON CONFLICT (id) DO NOTHING RETURNING id
                """, as: String.self, logger: logger)
            guard !inserted.isEmpty else { throw ProblemMapping.conflict("a dataset with id \"\(snapshot.id)\" already exists") }
            try await database.publish(snapshot, on: connection)
        }
    }

    /// Replaces a dataset's description with `make(current)`; `make` also authorises (it sees the
    /// current owner). 404 when it does not exist.
    func replace(_ id: String, _ make: @Sendable (DatasetSnapshot) throws -> DatasetSnapshot) async throws -> DatasetSnapshot {
        try await database.transaction { connection in
            guard let current = try await find(id, on: connection, lock: true) else { throw ProblemMapping.notFound("dataset", id) }
            var snapshot = try make(current)
            snapshot.updatedAt = ChangeStamp.next(after: current.updatedAt)
            snapshot.freshness = current.freshness
            if snapshot.agencyId != current.agencyId, try await !AgencyRepository(database: database).exists(snapshot.agencyId, on: connection) {
                throw ProblemMapping.validation(ValidationFailure([FieldError(field: "agencyId", reason: "no agency with id \"\(snapshot.agencyId)\"")]))
            }
            let search = SearchDocument(snapshot)
            let document = try Self.document(snapshot)
            try await connection.query(
                """
                UPDATE datasets SET agency_id = \(snapshot.agencyId), theme = \(snapshot.theme), access_level = \(snapshot.accessLevel.rawValue),
                    document = \(document)::jsonb, title_folded = \(search.titles), keywords_folded = \(search.keywords),
                    description_folded = \(search.descriptions), updated_at = \(snapshot.updatedAt.rfc3339)::timestamptz
                WHERE id = \(id)
                """, logger: logger)
            try await database.publish(snapshot, on: connection)
            return snapshot
        }
    }

    /// Deletes a dataset and its grants; `authorize` sees the current description first.
    func delete(_ id: String, authorize: @Sendable (DatasetSnapshot) throws -> Void) async throws {
        try await database.transaction { connection in
            guard let current = try await find(id, on: connection, lock: true) else { throw ProblemMapping.notFound("dataset", id) }
            try authorize(current)
            let grants = try await connection.values("DELETE FROM grants WHERE dataset_id = \(id) RETURNING id", as: String.self, logger: logger)
            for grant in grants { try await database.publishDeletion(of: GrantSnapshot.self, id: grant, on: connection) }
            try await connection.query("DELETE FROM datasets WHERE id = \(id)", logger: logger)
            try await database.publishDeletion(of: DatasetSnapshot.self, id: id, on: connection)
        }
    }

    func find(_ id: String, on connection: PostgresConnection, lock: Bool) async throws -> DatasetSnapshot? {
        let query: PostgresQuery = "SELECT \(unescaped: Self.columns) FROM datasets WHERE id = \(id) \(unescaped: lock ? "FOR UPDATE" : "")"
        return try await connection.rows(query, as: (String, String?, Bool).self, logger: logger).first.map {
            try Self.snapshot(document: $0.0, lastObservedAt: $0.1, late: $0.2)
        }
    }

    /// The columns a snapshot is read from: the stored document and the freshness columns.
    private static let columns = "document::text, to_json(last_observed_at) #>> '{}', late"

    private static func snapshot(document: String, lastObservedAt: String?, late: Bool) throws -> DatasetSnapshot {
        var snapshot = try DatasetSnapshot.decodeJSON(Array(document.utf8))
        snapshot.freshness = DatasetFreshness(lastObservedAt: timestamp(fromJSONText: lastObservedAt), late: late)
        return snapshot
    }

    /// The stored document: the snapshot without freshness (kept in its own columns).
    static func document(_ snapshot: DatasetSnapshot) throws -> String {
        var stored = snapshot
        stored.freshness = nil
        return String(decoding: try stored.encodeJSON(), as: UTF8.self)
    }
}
