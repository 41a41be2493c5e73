import Foundation
import CityEvents

/// CKAN's `package_search` parameters, validated into a ``SearchQuery`` plus the facets asked for.
///
/// Supported: `q` (words, as in the REST search; `*:*` matches everything), `fq` with
/// `organization:`, `tags:` and `res_format:` terms (values may be quoted; all must hold), `rows`
/// (0–1000, default 10), `start`, `sort` (`score desc`, `metadata_modified asc|desc`,
/// `name asc|desc`, `title_string asc|desc`; the first clause counts), `facet.field` (a JSON list of
/// `organization`, `tags`, `res_format`, `theme`) and `facet.limit` (default 50).
public struct CkanSearch: Sendable, Hashable {
    /// The resource formats every dataset offers (the ingest exports).
    public static let resourceFormats = ["CSV", "JSON"]
    /// The facets `facet.field` may name.
    public static let facetFields: Set<String> = ["organization", "tags", "res_format", "theme"]

    public var query: SearchQuery
    public var facetFields: [String]
    public var facetLimit: Int
    /// The `sort` as given (echoed in the result).
    public var sort: String

    /// Parses the parameters; a failure names the parameter, as CKAN's validation errors do.
    public init(parameters: [String: String]) throws(ValidationFailure) {
        var check = FieldChecker()
        query = SearchQuery(words: TextFolding.words(parameters["q"] ?? ""), limit: 10)
        let rows = Self.integer(parameters["rows"], default: 10, range: 0...1000, name: "rows", &check)
        query.limit = rows
        query.offset = Self.integer(parameters["start"], default: 0, range: 0...10_000_000, name: "start", &check)
        facetLimit = Self.integer(parameters["facet.limit"], default: 50, range: -1...1000, name: "facet.limit", &check)
        if facetLimit < 0 { facetLimit = 1000 }
        sort = parameters["sort"].flatMap { $0.isEmpty ? nil : $0 } ?? "score desc, metadata_modified desc"
        if let order = Self.order(sort) { query.order = order } else {
            check.fail("sort", "unsupported sort \"\(sort)\"; use score desc, metadata_modified asc|desc, name asc|desc or title_string asc|desc")
        }
        facetFields = []
        if let text = parameters["facet.field"], !text.isEmpty {
            if let fields = Self.stringList(text) {
                facetFields = fields
                for field in fields where !Self.facetFields.contains(field) {
                    check.fail("facet.field", "unsupported facet \"\(field)\"; supported: \(Self.facetFields.sorted().joined(separator: ", "))")
                }
            } else {
                check.fail("facet.field", "must be a JSON list of field names, e.g. [\"organization\", \"tags\"]")
            }
        }
        for term in Self.terms(parameters["fq"] ?? "") {
            switch term.field {
            case "organization", "owner_org": query.agencyIDs.append(term.value)
            case "tags": query.keywords.append(term.value)
            case "res_format": if !Self.resourceFormats.contains(term.value.uppercased()) { query.satisfiable = false }
            case "theme", "groups": query.theme = term.value
            default: check.fail("fq", "unsupported filter field \"\(term.field)\"; supported: organization, tags, res_format, theme")
            }
        }
        if query.agencyIDs.count > 1 { query.satisfiable = false }  // all fq terms must hold: one owner each
        try check.finish()
    }

    /// `field:value` terms of an `fq`, values possibly double-quoted; a leading `+` is ignored.
    static func terms(_ text: String) -> [(field: String, value: String)] {
        var terms: [(String, String)] = []
        var characters = Substring(text)
        while true {
            characters = characters.drop(while: { $0 == " " || $0 == "+" })
            guard let colon = characters.firstIndex(of: ":") else { break }
            let field = String(characters[..<colon])
            characters = characters[characters.index(after: colon)...]
            var value = ""
            if characters.first == "\"" {
                characters = characters.dropFirst()
                value = String(characters.prefix(while: { $0 != "\"" }))
                characters = characters.dropFirst(value.count + 1)
            } else {
                value = String(characters.prefix(while: { $0 != " " }))
                characters = characters.dropFirst(value.count)
            }
            terms.append((field, value))
        }
        return terms
    }

    private static func order(_ sort: String) -> SearchQuery.Order? {
        let first = sort.split(separator: ",").first.map { $0.split(separator: " ").map { $0.lowercased() } } ?? []
        guard let field = first.first else { return .relevance }
        let ascending = first.count < 2 || first[1] == "asc"
        guard first.count < 2 || first[1] == "asc" || first[1] == "desc" else { return nil }
        switch field {
        case "score", "rank": return .relevance
        case "metadata_modified": return .modified(ascending: ascending)
        case "name", "id": return .id(ascending: ascending)
        case "title_string", "title": return .title(ascending: ascending)
        default: return nil
        }
    }

    private static func integer(_ text: String?, default value: Int, range: ClosedRange<Int>, name: String, _ check: inout FieldChecker) -> Int {
        guard let text, !text.isEmpty else { return value }
        guard let parsed = Int(text), range.contains(parsed) else {
            check.fail(name, "must be an integer from \(range.lowerBound) to \(range.upperBound); got \"\(text)\"")
            return value
        }
        return parsed
    }

    /// `["a", "b"]` (or a bare `a`) as a list of strings.
    private static func stringList(_ text: String) -> [String]? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("[") else { return [trimmed] }
        guard trimmed.hasSuffix("]") else { return nil }
        return trimmed.dropFirst().dropLast().split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }.filter { !$0.isEmpty }
    }
}
