import CatalogCore
import CityEvents
import Testing

@Suite("Search query parsing")
struct SearchQueryTests {
    @Test("q is folded into prefix words that must all match")
    func tsquery() throws {
        let query = try SearchQuery(parameters: ["q": "HÀ NỘI  pm2.5"])
        #expect(query.words == ["ha", "noi", "pm2", "5"])
        #expect(query.tsquery == "ha:* & noi:* & pm2:* & 5:*")
    }

    @Test("An empty q matches everything")
    func emptyQ() throws {
        #expect(try SearchQuery(parameters: ["q": " , "]).tsquery == nil)
        #expect(try SearchQuery(parameters: [:]).tsquery == nil)
    }

    @Test("Paging defaults to page 1 of 20, and offset follows page and pageSize")
    func paging() throws {
        let defaults = try SearchQuery(parameters: [:])
        #expect((defaults.page, defaults.limit, defaults.offset) == (1, 20, 0))
        let third = try SearchQuery(parameters: ["page": "3", "pageSize": "10"])
        #expect((third.offset, third.limit, third.page) == (20, 10, 3))
    }

    @Test("Invalid paging and access level are refused, each by name")
    func invalid() {
        let failure = #expect(throws: ValidationFailure.self) {
            try SearchQuery(parameters: ["page": "0", "pageSize": "1000", "accessLevel": "secret"])
        }
        #expect(Set(failure?.errors.map(\.field) ?? []) == ["page", "pageSize", "accessLevel"])
    }

    @Test("The search document folds titles, keywords and descriptions")
    func document() {
        let dataset = DatasetSnapshot(
            id: "d", agencyId: "so-tnmt-hanoi", title: "Chất lượng không khí Hà Nội", titleEn: "Hanoi air quality",
            description: "Đo bụi mịn", theme: "environment", keywords: ["Bụi PM2.5"], accessLevel: .public, license: "CC-BY-4.0",
            updateFrequency: "PT1H", timeColumn: "t", fields: [], updatedAt: .now())
        let document = SearchDocument(dataset)
        #expect(document.titles == "chat luong khong khi ha noi hanoi air quality")
        #expect(document.keywords == "bui pm2.5 environment")
        #expect(document.descriptions == "do bui min so-tnmt-hanoi")
    }
}
