import CatalogCore
import CityEvents
import Hummingbird

/// DCAT-AP JSON-LD: `GET /v1/catalog.jsonld` (every dataset) and `GET /v1/datasets/{id}/dcat.jsonld`.
struct DcatRoutes: Sendable {
    let datasets: DatasetRepository
    let agencies: AgencyRepository
    let document: DcatDocument

    static let mediaType = "application/ld+json"

    func add(to router: Router<BasicRequestContext>) {
        router.get("v1/catalog.jsonld") { _, _ in
            let all = try await datasets.search(SearchQuery(order: .id(ascending: true), limit: 1_000_000)).items
            return try JSONReply.make(.ok, document.catalog(all, publishers: try await publishers()), contentType: Self.mediaType)
        }
        router.get("v1/datasets/:id/dcat.jsonld") { _, context in
            let id = try context.parameters.require("id")
            guard let dataset = try await datasets.find(id) else { throw ProblemMapping.notFound("dataset", id) }
            return try JSONReply.make(.ok, document.dataset(dataset, publisher: try await publishers()[dataset.agencyId]), contentType: Self.mediaType)
        }
    }

    private func publishers() async throws -> [String: String] {
        Dictionary(try await agencies.list().map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }
}
