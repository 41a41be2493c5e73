import CatalogCore
import CityEvents
import Testing

@Suite("CKAN package_search parameters")
struct CkanSearchTests {
    @Test("fq terms become filters: organization, tags (quoted or not), res_format")
    func filterQuery() throws {
        let search = try CkanSearch(parameters: ["fq": #"organization:so-tnmt-hanoi +tags:"bụi mịn" tags:aqi res_format:csv"#])
        #expect(search.query.agencyIDs == ["so-tnmt-hanoi"])
        #expect(search.query.keywords == ["bụi mịn", "aqi"])
        #expect(search.query.satisfiable)
        #expect(try !CkanSearch(parameters: ["fq": "res_format:SHP"]).query.satisfiable, "no dataset offers SHP")
    }

    @Test("rows and start make the window; rows defaults to 10 and may not exceed 1000")
    func window() throws {
        let search = try CkanSearch(parameters: ["rows": "25", "start": "50"])
        #expect((search.query.limit, search.query.offset) == (25, 50))
        #expect(try CkanSearch(parameters: [:]).query.limit == 10)
        #expect(throws: ValidationFailure.self) { try CkanSearch(parameters: ["rows": "1001"]) }
    }

    @Test("sort uses its first clause; unknown sorts are refused")
    func sort() throws {
        #expect(try CkanSearch(parameters: ["sort": "name desc, score desc"]).query.order == .id(ascending: false))
        #expect(try CkanSearch(parameters: ["sort": "metadata_modified desc"]).query.order == .modified(ascending: false))
        #expect(try CkanSearch(parameters: [:]).query.order == .relevance)
        #expect(throws: ValidationFailure.self) { try CkanSearch(parameters: ["sort": "popularity desc"]) }
    }

    @Test("facet.field is a JSON list of supported fields")
    func facets() throws {
        #expect(try CkanSearch(parameters: ["facet.field": #"["organization", "tags"]"#]).facetFields == ["organization", "tags"])
        let failure = #expect(throws: ValidationFailure.self) { try CkanSearch(parameters: ["facet.field": #"["license_id"]"#]) }
        #expect(failure?.errors.first?.field == "facet.field")
    }

    @Test("q is folded like the REST search")
    func words() throws {
        #expect(try CkanSearch(parameters: ["q": "HÀ NỘI"]).query.words == ["ha", "noi"])
        #expect(try CkanSearch(parameters: ["q": "*:*"]).query.words == [])
    }

    @Test("A package's resources are the ingest exports, its organization the agency")
    func package() {
        let dataset = DatasetSnapshot(
            id: "hanoi-air", agencyId: "so-tnmt-hanoi", title: "Không khí", titleEn: "Air", theme: "environment", keywords: ["aqi"],
            accessLevel: .public, license: "CC-BY-4.0", updateFrequency: "PT1H", timeColumn: "t", fields: [],
            updatedAt: Timestamp(secondsSinceEpoch: 1_743_465_668, nanoseconds: 5_000))
        let package = CkanPackage(dataset, organization: CkanOrganization(id: "so-tnmt-hanoi", title: "Sở", description: ""), ingestBaseURL: "http://ingest:8081")
        #expect(package.resources.map(\.url) == [
            "http://ingest:8081/v1/datasets/hanoi-air/observations?format=csv", "http://ingest:8081/v1/datasets/hanoi-air/observations?format=json",
        ])
        #expect(package.ownerOrg == "so-tnmt-hanoi")
        #expect(package.metadataModified == "2025-04-01T00:01:08.000005")
    }
}
