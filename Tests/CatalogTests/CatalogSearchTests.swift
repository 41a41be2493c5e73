import CityTestSupport
import Foundation
import Testing

@Suite("Dataset search")
struct CatalogSearchTests {
    @Test("\"ha noi\" and \"HÀ NỘI\" find \"Hà Nội\"; titles rank above descriptions; filters and pages")
    func diacriticsRankingPaging() async throws {
        try await CatalogProcess.with { catalog in
            let run = CatalogProcess.uniquePrefix()
            let owner = "\(run)-owner"
            let key = try await catalog.agency(owner)
            func create(_ suffix: String, title: String, description: String? = nil, theme: String = "environment", keywords: [String] = []) async throws {
                var body = CatalogProcess.dataset("\(run)-\(suffix)", agency: owner, title: title)
                body["theme"] = theme
                body["keywords"] = keywords
                body.removeValue(forKey: "titleEn")  // no English title: "Hanoi" would match "ha"
                if let description { body["description"] = description }
                let reply = try await catalog.post("/v1/datasets", body, headers: CatalogProcess.bearer(key))
                try #require(reply.status == 201, "\(reply.body)")
            }
            try await create("title", title: "Chất lượng không khí Hà Nội")
            try await create("desc", title: "Quan trắc môi trường", description: "Các trạm ở Hà Nội và vùng lân cận")
            try await create("hcm", title: "Giao thông TP Hồ Chí Minh", theme: "transport", keywords: ["ùn tắc"])
            for index in 0..<5 { try await create("page\(index)", title: "Đo đạc \(run) số \(index)") }

            func ids(_ query: String) async throws -> [String] {
                let reply = try await catalog.service.http.get("/v1/datasets?\(query)&agency=\(owner)")
                try #require(reply.status == 200, "\(reply.body)")
                return (reply.json["items"] as? [[String: Any]] ?? []).compactMap { ($0["id"] as? String)?.replacingOccurrences(of: "\(run)-", with: "") }
            }
            #expect(try await ids("q=ha+noi") == ["title", "desc"], "the title match ranks first")
            #expect(try await ids("q=H%C3%80%20N%E1%BB%98I") == ["title", "desc"])
            #expect(try await ids("q=un+tac") == ["hcm"], "keywords are searched, without diacritics")
            #expect(try await ids("q=khong+khi+ha") == ["title"], "every word must match, the last as a prefix")
            #expect(try await ids("q=ha+noi&theme=transport") == [])
            #expect(try await ids("theme=transport") == ["hcm"])
            #expect(try await ids("q=saigon") == [])

            let first = try await catalog.service.http.get("/v1/datasets?q=do+dac&agency=\(owner)&pageSize=2&page=1")
            #expect(first.json["total"] as? Int == 5)
            #expect(first.json["totalExact"] as? Bool == true, "a total below 100 is exact")
            let pages = try await [1, 2, 3, 4].asyncMap { try await ids("q=do+dac&pageSize=2&page=\($0)") }
            #expect(pages.map(\.count) == [2, 2, 1, 0])
            #expect(Set(pages.flatMap { $0 }) == Set((0..<5).map { "page\($0)" }), "pages neither repeat nor skip")
            let beyond = try await catalog.service.http.get("/v1/datasets?q=do+dac&agency=\(owner)&pageSize=2&page=4")
            #expect(beyond.json["total"] as? Int == 5, "total is known past the last page")
        }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
