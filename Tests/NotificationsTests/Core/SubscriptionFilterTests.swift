import CityEvents
import Foundation
import NotificationsCore
import Testing

/// Subscription filters against event facts.
@Suite("Subscription filter")
struct SubscriptionFilterTests {
    static let alert = EventFacts(SampleEvents.alert())
    static let computed = EventFacts(SampleEvents.computed())
    static let observation = EventFacts(SampleEvents.observation)
    static let dataset = EventFacts(SampleEvents.dataset("hanoi-air-quality", owner: "so-tnmt-hanoi", access: .public))

    @Test("facts carry each payload's dataset, indicator, source, areas, severity and throttle key")
    func facts() {
        #expect(Self.alert.type == EventType.indicatorAlert)
        #expect(Self.alert.datasetId == "hanoi-air-quality")
        #expect(Self.alert.indicatorId == "vn_aqi_hourly")
        #expect(Self.alert.sourceId == "hanoi-city")
        #expect(Self.alert.severity == .warning)
        #expect(Self.alert.throttleKey == "vn_aqi_hourly/hanoi-city")
        #expect(Self.computed.areas == ["001"])
        #expect(Self.computed.throttleKey == "us_aqi_hourly/001")
        #expect(Self.observation.datasetId == "hanoi-traffic")
        #expect(Self.observation.areas == ["002"])
        #expect(Self.observation.indicatorId == nil)
        #expect(Self.observation.throttleKey == "hanoi-traffic/cam-12")
        #expect(Self.dataset.areas == ["001", "003"])
    }

    @Test("facts are read from a consumed CloudEvent; other types and bad data are refused")
    func fromCloudEvent() throws {
        let envelope = try EventCodec.cloudEvent(Event(source: "/city/indicators", payload: SampleEvents.alert(severity: .critical)))
        #expect(try EventFacts(envelope) == EventFacts(SampleEvents.alert(severity: .critical)))
        var other = envelope
        other.type = EventType.deliveryOutcome
        #expect(throws: EventFactsError.notDeliverable(type: EventType.deliveryOutcome)) { try EventFacts(other) }
        var broken = envelope
        broken.data = Array(#"{"indicatorId": 3}"#.utf8)
        #expect {
            try EventFacts(broken)
        } throws: { error in
            guard case EventFactsError.undecodable(let type, _) = error else { return false }
            return type == EventType.indicatorAlert
        }
    }

    @Test("an empty filter matches every deliverable event")
    func emptyFilter() {
        for facts in [Self.alert, Self.computed, Self.observation, Self.dataset] {
            #expect(SubscriptionFilter().matches(facts))
        }
    }

    @Test("each condition selects: OR within a list, AND across fields")
    func conditions() {
        let alertsOfTwoDatasets = SubscriptionFilter(types: [EventType.indicatorAlert], datasetIds: ["hanoi-air-quality", "hcmc-air"])
        #expect(alertsOfTwoDatasets.matches(Self.alert))
        #expect(!alertsOfTwoDatasets.matches(Self.computed))
        #expect(!SubscriptionFilter(types: [EventType.indicatorAlert], datasetIds: ["hcmc-air"]).matches(Self.alert))
        #expect(SubscriptionFilter(indicatorIds: ["us_aqi_hourly", "vn_aqi_hourly"]).matches(Self.alert))
        #expect(!SubscriptionFilter(indicatorIds: ["pm25_24h_mean"]).matches(Self.alert))
        #expect(SubscriptionFilter(sourceIds: ["cam-12"]).matches(Self.observation))
        #expect(!SubscriptionFilter(sourceIds: ["cam-13"]).matches(Self.observation))
        #expect(SubscriptionFilter(areas: ["003"]).matches(Self.dataset))
        #expect(!SubscriptionFilter(areas: ["004"]).matches(Self.dataset))
    }

    @Test("a condition on a field the event lacks is not met")
    func absentFields() {
        #expect(!SubscriptionFilter(indicatorIds: ["vn_aqi_hourly"]).matches(Self.observation))
        #expect(!SubscriptionFilter(minSeverity: .info).matches(Self.computed))
        #expect(!SubscriptionFilter(areas: ["001"]).matches(Self.alert), "this alert has no area")
        #expect(!SubscriptionFilter(sourceIds: ["hanoi-city"]).matches(Self.dataset))
    }

    @Test("minSeverity delivers alerts at or above it", arguments: [
        (AlertSeverity.info, AlertSeverity.info, true), (.info, .critical, true), (.warning, .info, false),
        (.warning, .warning, true), (.critical, .warning, false), (.critical, .critical, true),
    ])
    func severity(_ minimum: AlertSeverity, _ actual: AlertSeverity, _ delivered: Bool) {
        #expect(SubscriptionFilter(minSeverity: minimum).matches(EventFacts(SampleEvents.alert(severity: actual))) == delivered)
    }

    @Test("the JSON shape of docs/platform.md decodes, and unknown severities are refused")
    func json() throws {
        let text = #"{"types": ["vn.citydata.indicator.alert.v1"], "datasetIds": ["hanoi-air-quality"], "indicatorIds": ["vn_aqi_hourly"], "sourceIds": ["hanoi-city"], "areas": ["001"], "minSeverity": "warning"}"#
        let filter = try JSONDecoder().decode(SubscriptionFilter.self, from: Data(text.utf8))
        #expect(filter == SubscriptionFilter(
            types: [EventType.indicatorAlert], datasetIds: ["hanoi-air-quality"], indicatorIds: ["vn_aqi_hourly"],
            sourceIds: ["hanoi-city"], areas: ["001"], minSeverity: .warning
        ))
        #expect(try JSONDecoder().decode(SubscriptionFilter.self, from: Data("{}".utf8)) == SubscriptionFilter())
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(SubscriptionFilter.self, from: Data(#"{"minSeverity": "severe"}"#.utf8)) }
    }

    @Test("validation points at empty lists, unknown types and conditions the chosen types cannot meet")
    func problems() {
        #expect(SubscriptionFilter(types: [EventType.indicatorAlert], indicatorIds: ["vn_aqi_hourly"], minSeverity: .warning).problems().isEmpty)
        let bad = SubscriptionFilter(
            types: [EventType.observationRecorded, "vn.citydata.agency.updated.v1"], datasetIds: [], indicatorIds: ["x"], sourceIds: [""],
            minSeverity: .critical
        )
        let pointers = Set(bad.problems().map(\.pointer))
        #expect(pointers == ["/filter/types/1", "/filter/datasetIds", "/filter/indicatorIds", "/filter/sourceIds/0", "/filter/minSeverity"])
    }
}
