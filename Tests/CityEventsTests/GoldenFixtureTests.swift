import CityEvents
import Foundation
import Testing

/// The committed golden fixtures still decode, re-encode identically, and the current types keep
/// every v1 contract.
@Suite("Golden fixtures and v1 compatibility")
struct GoldenFixtureTests {
    @Test("every event type has a fixture and a contract")
    func everyTypeCovered() {
        let covered = Set(FixtureCatalog.cases.map(\.eventType))
        #expect(covered == Set(EventType.all))
    }

    @Test("fixture decodes with the current types and re-encodes to the same data", arguments: FixtureCatalog.cases.map(\.name))
    func decodeAndReencode(name: String) throws {
        let fixtureCase = try #require(FixtureCatalog.cases.first { $0.name == name })
        let fixture = try FixtureFile.load(name)
        let record = try fixture.record()
        let value = try #require(record.value)
        let envelope = try CloudEvent(kafkaHeaders: record.headers, value: record.value)
        #expect(envelope.type == fixtureCase.eventType)
        let reencoded = try fixtureCase.reencode(value)
        #expect(try PayloadJSON.decode(JSONValue.self, from: reencoded) == fixture.data)
        // The production encoder still writes exactly this record (headers, key, topic, data).
        let current = try FixtureFile(record: fixtureCase.record())
        #expect(current == fixture, "re-generate only if the change is additive: CITYDATA_WRITE_FIXTURES=1")
    }

    @Test("current types keep the committed v1 contract", arguments: FixtureCatalog.cases.map(\.name))
    func contractKept(name: String) throws {
        let fixtureCase = try #require(FixtureCatalog.cases.first { $0.name == name })
        let committed = try JSONDecoder().decode(
            FieldContract.self, from: RepoPaths.fixture("contracts/\(fixtureCase.eventType).json")
        )
        // Shape of what the current encoder writes for a fully populated payload.
        let produced = try #require(try FixtureFile(record: fixtureCase.record()).data)
        let current = try ContractBuilder.contract(for: fixtureCase, data: produced)
        let problems = committed.incompatibilities(withCurrent: current)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("a contract change is detected")
    func contractDetectsBreakingChanges() {
        let old = FieldContract(eventType: "t", fields: [
            "a": .init(type: "string", required: true),
            "b": .init(type: "number", required: false),
            "c": .init(type: "string", required: false),
        ])
        let new = FieldContract(eventType: "t", fields: [
            "b": .init(type: "string", required: false),
            "c": .init(type: "string", required: true),
            "d": .init(type: "string", required: true),
        ])
        let problems = old.incompatibilities(withCurrent: new)
        #expect(problems.count == 4)
        #expect(problems.contains { $0.contains("'a' was removed") })
        #expect(problems.contains { $0.contains("'b' changed type") })
        #expect(problems.contains { $0.contains("'c' became required") })
        #expect(problems.contains { $0.contains("new required field 'd'") })
    }

    @Test("tombstone fixtures are recognised", arguments: FixtureCatalog.tombstones.map(\.name))
    func tombstones(name: String) throws {
        let fixture = try FixtureFile.load(name)
        let record = try fixture.record()
        let tombstone = try #require(Tombstone(record: record))
        #expect(tombstone.entityId == fixture.key)
        #expect(tombstone.record == record)
    }
}
