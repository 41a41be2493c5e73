import CatalogCore
import CityEvents
import CityRuntime
import Foundation
import Hummingbird

/// The runtime's JSON value (CityEvents has one of the same name).
private typealias JSON = CityRuntime.JSONValue

/// The CKAN Action API subset at `/api/3/action/{action}` (GET with query parameters, or POST with a
/// JSON object), answering CKAN's envelopes: `{help, success: true, result}` and
/// `{help, success: false, error: {__type, message}}` — so that `ckanapi` and harvesters work.
struct CkanRoutes: Sendable {
    let datasets: DatasetRepository
    let agencies: AgencyRepository
    let ingestBaseURL: String

    /// A failed action, as CKAN reports it.
    struct ActionError: Error {
        var status: HTTPResponse.Status
        var type: String
        var message: String
        var fields: [String: [String]] = [:]
    }

    /// CKAN answers both the versioned path and `/api/action/` (which `ckanapi` calls).
    func add(to router: Router<BasicRequestContext>) {
        for prefix in ["api/3/action", "api/action"] {
            router.get("\(prefix)/:action") { request, context in
                await answer(try context.parameters.require("action"), request: request) { QueryParameters(request.uri.query).dictionary }
            }
            router.post("\(prefix)/:action") { request, context in
                await answer(try context.parameters.require("action"), request: request) { try await Self.bodyParameters(request) }
            }
        }
    }

    private func answer(_ action: String, request: Request, parameters: () async throws -> [String: String]) async -> Response {
        let help = "/api/3/action/help_show?name=\(action)"
        do {
            let result = try await run(action, parameters: try await parameters())
            return Self.envelope(.ok, ["help": .string(help), "success": .bool(true), "result": result])
        } catch let error as ActionError {
            var body: [String: JSON] = ["__type": .string(error.type), "message": .string(error.message)]
            for (field, messages) in error.fields { body[field] = .array(messages.map(JSON.string)) }
            return Self.envelope(error.status, ["help": .string(help), "success": .bool(false), "error": .object(body)])
        } catch let problem as Problem {
            return Self.envelope(problem.status, ["help": .string(help), "success": .bool(false), "error": ["__type": "Validation Error", "message": .string(problem.detail ?? problem.title)]])
        } catch {
            return Self.envelope(.internalServerError, ["help": .string(help), "success": .bool(false), "error": ["__type": "Internal Error", "message": "the catalog failed to answer; it has been logged"]])
        }
    }

    private func run(_ action: String, parameters: [String: String]) async throws -> JSON {
        switch action {
        case "package_list":
            var query = SearchQuery(order: .id(ascending: true), limit: 100_000)
            query.limit = try Self.integer(parameters["limit"], default: 100_000, name: "limit")
            query.offset = try Self.integer(parameters["offset"], default: 0, name: "offset")
            return try Self.json(try await datasets.search(query).items.map(\.id))
        case "package_show":
            let id = try Self.required(parameters, "id")
            guard let dataset = try await datasets.find(id) else { throw ActionError(status: .notFound, type: "Not Found Error", message: "Not found: dataset \(id)") }
            return try Self.json(try await packages([dataset]).first)
        case "package_search":
            let search: CkanSearch
            do { search = try CkanSearch(parameters: parameters) } catch { throw Self.validation(error) }
            let found = try await datasets.search(search.query)
            var facets: [String: JSON] = [:]
            var searchFacets: [String: JSON] = [:]
            for field in search.facetFields {
                let counts = try await facetCounts(field, search)
                facets[field] = .object(Dictionary(counts.map { ($0.value, JSON.number(Double($0.count))) }, uniquingKeysWith: { first, _ in first }))
                searchFacets[field] = [
                    "title": .string(field),
                    "items": .array(counts.map { ["name": .string($0.value), "display_name": .string($0.value), "count": .number(Double($0.count))] }),
                ]
            }
            return [
                "count": .number(Double(found.total)), "sort": .string(search.sort), "results": try Self.json(try await packages(found.items)),
                "facets": .object(facets), "search_facets": .object(searchFacets),
            ]
        case "organization_list":
            let all = try await organizations()
            let allFields = ["true", "True", "1"].contains(parameters["all_fields"] ?? "")
            return allFields ? try Self.json(all) : try Self.json(all.map(\.name))
        case "organization_show":
            let id = try Self.required(parameters, "id")
            guard let organization = try await organizations().first(where: { $0.id == id }) else {
                throw ActionError(status: .notFound, type: "Not Found Error", message: "Not found: organization \(id)")
            }
            return try Self.json(organization)
        default:
            throw ActionError(status: .badRequest, type: "Bad request", message: "Bad request - Action name not known: \(action)")
        }
    }

    /// Every agency as an organization, with its dataset count.
    private func organizations() async throws -> [CkanOrganization] {
        let counts = try await datasets.facet(.agency, of: SearchQuery(), limit: 100_000)
        let byAgency = Dictionary(counts.map { ($0.value, $0.count) }, uniquingKeysWith: { first, _ in first })
        return try await agencies.list().map { agency in
            CkanOrganization(id: agency.id, title: agency.name, description: agency.nameEn, packageCount: byAgency[agency.id] ?? 0)
        }
    }

    private func packages(_ items: [DatasetSnapshot]) async throws -> [CkanPackage] {
        guard !items.isEmpty else { return [] }
        let names = Dictionary(try await agencies.list().map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return items.map { dataset in
            let agency = names[dataset.agencyId]
            let organization = CkanOrganization(id: dataset.agencyId, title: agency?.name ?? dataset.agencyId, description: agency?.nameEn ?? "")
            return CkanPackage(dataset, organization: organization, ingestBaseURL: ingestBaseURL)
        }
    }

    private func facetCounts(_ field: String, _ search: CkanSearch) async throws -> [(value: String, count: Int)] {
        switch field {
        case "organization": return try await datasets.facet(.agency, of: search.query, limit: search.facetLimit)
        case "tags": return try await datasets.facet(.keyword, of: search.query, limit: search.facetLimit)
        case "theme": return try await datasets.facet(.theme, of: search.query, limit: search.facetLimit)
        default:  // res_format: every dataset offers every format
            let total = try await datasets.count(search.query)
            return total == 0 ? [] : CkanSearch.resourceFormats.map { ($0, total) }
        }
    }

    private static func bodyParameters(_ request: Request) async throws -> [String: String] {
        let body: [String: JSON]
        do { body = try await JSONBody.decode([String: JSON].self, from: request, emptyValue: [:]) } catch let problem as Problem {
            throw ActionError(status: .badRequest, type: "Bad request", message: "Bad request - JSON Error: \(problem.detail ?? problem.title)")
        }
        var parameters: [String: String] = [:]
        for (name, value) in body {
            switch value {
            case .string(let text): parameters[name] = text
            case .null: continue
            default: parameters[name] = String(decoding: (try? JSONEncoder().encode(value)) ?? Data(), as: UTF8.self)
            }
        }
        return parameters
    }

    private static func required(_ parameters: [String: String], _ name: String) throws -> String {
        guard let value = parameters[name], !value.isEmpty else {
            throw ActionError(status: .conflict, type: "Validation Error", message: "Missing value: \(name)", fields: [name: ["Missing value"]])
        }
        return value
    }

    private static func integer(_ text: String?, default value: Int, name: String) throws -> Int {
        guard let text, !text.isEmpty else { return value }
        guard let parsed = Int(text), parsed >= 0 else {
            throw ActionError(status: .conflict, type: "Validation Error", message: "\(name): must be a natural number", fields: [name: ["Must be a natural number"]])
        }
        return parsed
    }

    private static func validation(_ failure: ValidationFailure) -> ActionError {
        ActionError(
            status: .conflict, type: "Validation Error", message: failure.description,
            fields: Dictionary(grouping: failure.errors, by: \.field).mapValues { $0.map(\.reason) })
    }

    /// An `Encodable` value as a `JSON`, to place it in an envelope.
    private static func json<Value: Encodable>(_ value: Value) throws -> JSON {
        try JSONDecoder().decode(JSON.self, from: JSONEncoder().encode(value))
    }

    private static func envelope(_ status: HTTPResponse.Status, _ body: [String: JSON]) -> Response {
        (try? JSONReply.make(status, body)) ?? Response(status: .internalServerError)
    }
}
