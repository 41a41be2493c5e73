import CityEvents
import NotificationsCore
import Testing

/// Who may receive a dataset's events.
@Suite("Access rule")
struct AccessRuleTests {
    static let now = SampleEvents.start

    static func view() -> DatasetAccessSnapshot {
        DatasetAccessSnapshot(
            datasets: [
                SampleEvents.dataset("hanoi-air-quality", owner: "so-tnmt-hanoi", access: .public),
                SampleEvents.dataset("hanoi-traffic", owner: "so-gtvt-hanoi", access: .restricted),
            ],
            grants: [GrantSnapshot(id: "g-1", datasetId: "hanoi-traffic", agencyId: "cong-an-hanoi", createdAt: now)]
        )
    }

    @Test("public datasets go to anyone; restricted ones to their owner and grantees only")
    func rule() {
        let view = Self.view()
        #expect(AccessRule.decide(datasetId: "hanoi-air-quality", agencyId: "anyone", view: view) == .allowed(.publicDataset))
        #expect(AccessRule.decide(datasetId: "hanoi-traffic", agencyId: "so-gtvt-hanoi", view: view) == .allowed(.owner))
        #expect(AccessRule.decide(datasetId: "hanoi-traffic", agencyId: "cong-an-hanoi", view: view) == .allowed(.granted))
        #expect(AccessRule.decide(datasetId: "hanoi-traffic", agencyId: "so-tnmt-hanoi", view: view) == .denied(.restrictedWithoutGrant))
        #expect(AccessRule.decide(datasetId: "unknown", agencyId: "so-tnmt-hanoi", view: view) == .denied(.unknownDataset))
    }

    @Test("an event is judged by its dataset, including indicator events")
    func eventsByDataset() {
        let view = Self.view()
        #expect(AccessRule.decide(EventFacts(SampleEvents.observation), agencyId: "so-tnmt-hanoi", view: view) == .denied(.restrictedWithoutGrant))
        #expect(AccessRule.decide(EventFacts(SampleEvents.observation), agencyId: "cong-an-hanoi", view: view).isAllowed)
        #expect(AccessRule.decide(EventFacts(SampleEvents.alert(dataset: "hanoi-traffic")), agencyId: "so-tnmt-hanoi", view: view).isAllowed == false)
        #expect(AccessRule.decide(EventFacts(SampleEvents.alert()), agencyId: "so-gtvt-hanoi", view: view).isAllowed)
    }

    @Test("revoking a grant, restricting or deleting a dataset take effect; a second grant of the same pair survives one revocation")
    func changes() {
        var view = Self.view()
        view.apply(GrantSnapshot(id: "g-2", datasetId: "hanoi-traffic", agencyId: "cong-an-hanoi", createdAt: Self.now))
        view.removeGrant(id: "g-1")
        #expect(AccessRule.decide(datasetId: "hanoi-traffic", agencyId: "cong-an-hanoi", view: view).isAllowed)
        view.removeGrant(id: "g-2")
        #expect(AccessRule.decide(datasetId: "hanoi-traffic", agencyId: "cong-an-hanoi", view: view) == .denied(.restrictedWithoutGrant))

        view.apply(SampleEvents.dataset("hanoi-air-quality", owner: "so-tnmt-hanoi", access: .restricted))
        #expect(AccessRule.decide(datasetId: "hanoi-air-quality", agencyId: "anyone", view: view) == .denied(.restrictedWithoutGrant))
        view.removeDataset(id: "hanoi-air-quality")
        #expect(AccessRule.decide(datasetId: "hanoi-air-quality", agencyId: "so-tnmt-hanoi", view: view) == .denied(.unknownDataset))
    }

    @Test("a grant re-pointed to another agency no longer grants the first")
    func regrant() {
        var view = Self.view()
        view.apply(GrantSnapshot(id: "g-1", datasetId: "hanoi-traffic", agencyId: "so-xd-hanoi", createdAt: Self.now))
        #expect(!AccessRule.decide(datasetId: "hanoi-traffic", agencyId: "cong-an-hanoi", view: view).isAllowed)
        #expect(AccessRule.decide(datasetId: "hanoi-traffic", agencyId: "so-xd-hanoi", view: view) == .allowed(.granted))
    }
}
