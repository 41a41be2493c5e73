import CatalogCore
import Testing

@Suite("Catalog authorisation rules")
struct CatalogPolicyTests {
    @Test("The admin token manages agencies; agencies and anonymous callers do not")
    func agencies() {
        #expect(throws: Never.self) { try CatalogPolicy.manageAgencies(.admin) }
        #expect(throws: Denial.self) { try CatalogPolicy.manageAgencies(.agency(id: "a", role: .both)) }
        #expect(throws: Denial.self) { try CatalogPolicy.manageAgencies(.anonymous) }
    }

    @Test("An agency manages its own datasets with a publisher or both key only")
    func datasets() throws {
        #expect(throws: Never.self) { try CatalogPolicy.manageDataset(.agency(id: "a", role: .publisher), ownedBy: "a") }
        #expect(throws: Never.self) { try CatalogPolicy.manageDataset(.agency(id: "a", role: .both), ownedBy: "a") }
        #expect(throws: Never.self) { try CatalogPolicy.manageDataset(.admin, ownedBy: "b") }
        #expect(throws: Denial.forbidden("agency a cannot manage datasets of agency b")) {
            try CatalogPolicy.manageDataset(.agency(id: "a", role: .both), ownedBy: "b")
        }
        let subscriber = #expect(throws: Denial.self) { try CatalogPolicy.manageDataset(.agency(id: "a", role: .subscriber), ownedBy: "a") }
        guard case .forbidden = try #require(subscriber) else { Issue.record("a subscriber key must be forbidden, not unauthenticated"); return }
        let anonymous = #expect(throws: Denial.self) { try CatalogPolicy.manageDataset(.anonymous, ownedBy: "a") }
        guard case .unauthenticated = try #require(anonymous) else { Issue.record("no credentials must be 401"); return }
    }

    @Test("An agency lists only its own keys")
    func keys() {
        #expect(throws: Never.self) { try CatalogPolicy.listKeys(.agency(id: "a", role: .subscriber), of: "a") }
        #expect(throws: Denial.self) { try CatalogPolicy.listKeys(.agency(id: "a", role: .both), of: "b") }
    }
}
