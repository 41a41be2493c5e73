import CatalogCore
import CityEvents
import Testing

@Suite("DCAT-AP documents")
struct DcatDocumentTests {
    static let dataset = DatasetSnapshot(
        id: "hanoi-air", agencyId: "so-tnmt-hanoi", title: "Không khí Hà Nội", titleEn: "Hanoi air", theme: "environment",
        accessLevel: .restricted, license: "CC-BY-4.0", updateFrequency: "PT1H", timeColumn: "t", fields: [], updatedAt: .now())
    static let builder = DcatDocument(catalogBaseURL: "http://catalog", ingestBaseURL: "http://ingest")

    @Test("A dataset has the mandatory properties, a description even without one, and an access URL per export")
    func mandatory() throws {
        guard case .object(let node) = Self.builder.dataset(Self.dataset, publisher: "Sở TN&MT") else { Issue.record("not an object"); return }
        #expect(node["@context"] != nil)
        #expect(node["@type"] == .string("dcat:Dataset"))
        #expect(node["dct:title"] == .array([.object(["@value": .string("Không khí Hà Nội"), "@language": .string("vi")]), .object(["@value": .string("Hanoi air"), "@language": .string("en")])]))
        #expect(node["dct:description"] == node["dct:title"], "the title stands in for a missing description")
        guard case .object(let publisher) = node["dct:publisher"] else { Issue.record("no publisher"); return }
        #expect(publisher["foaf:name"] == .string("Sở TN&MT"))
        guard case .array(let distributions) = node["dcat:distribution"] else { Issue.record("no distributions"); return }
        let urls = distributions.compactMap { distribution -> JSONValue? in if case .object(let d) = distribution { d["dcat:accessURL"] } else { nil } }
        #expect(urls == [.string("http://ingest/v1/datasets/hanoi-air/observations?format=csv"), .string("http://ingest/v1/datasets/hanoi-air/observations?format=json")])
        #expect(node["dct:accessRights"] == .string("http://publications.europa.eu/resource/authority/access-right/RESTRICTED"))
    }
}
