import CityEvents
import Foundation
import Testing

/// Writes the golden fixtures, the contracts and docs/asyncapi.yaml into the source tree. Run only on purpose:
/// `CITYDATA_WRITE_FIXTURES=1 swift test --filter FixtureGenerator`, then review the diff — a changed
/// contract line is a compatibility decision.
@Suite("FixtureGenerator")
struct FixtureGeneratorTests {
    static let enabled = ProcessInfo.processInfo.environment["CITYDATA_WRITE_FIXTURES"] == "1"

    @Test(.enabled(if: enabled, "set CITYDATA_WRITE_FIXTURES=1 to regenerate fixtures"))
    func writeFixturesAndContracts() throws {
        let base = try #require(RepoPaths.sourceFixtures, "repository root not found")
        let files = FileManager.default
        try files.createDirectory(at: base.appendingPathComponent("events"), withIntermediateDirectories: true)
        try files.createDirectory(at: base.appendingPathComponent("contracts"), withIntermediateDirectories: true)
        for fixtureCase in FixtureCatalog.cases {
            let fixture = try FixtureFile(record: fixtureCase.record())
            try FixtureFile.prettyJSON(fixture).write(to: base.appendingPathComponent("events/\(fixtureCase.name).json"))
            let data = try #require(fixture.data)
            let contract = try ContractBuilder.contract(for: fixtureCase, data: data)
            try FixtureFile.prettyJSON(contract)
                .write(to: base.appendingPathComponent("contracts/\(fixtureCase.eventType).json"))
        }
        for tombstone in FixtureCatalog.tombstones {
            let fixture = try FixtureFile(record: tombstone.record)
            try FixtureFile.prettyJSON(fixture).write(to: base.appendingPathComponent("events/\(tombstone.name).json"))
        }
        // docs/asyncapi.yaml from the registry and docs/schemas.
        let directory = try PythonRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let registry = try RegistryDump.write(into: directory)
        let outcome = try PythonRunner.run(["Tests/interop/generate_asyncapi.py", "--registry", registry.path])
        #expect(outcome.status == 0, "\(outcome.output)")
    }
}
