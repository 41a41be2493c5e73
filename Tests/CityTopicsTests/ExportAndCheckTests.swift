import Foundation
import Testing

/// The commands that need no cluster: `export --strimzi` and `check`.
@Suite("citytopics export and check")
struct ExportAndCheckTests {
    @Test("export --strimzi reproduces deploy/k8s/base/kafka/kafka-topics.yaml byte for byte")
    func strimziGolden() async throws {
        let golden = try Data(contentsOf: URL(fileURLWithPath: RepositoryRoot.path + "/deploy/k8s/base/kafka/kafka-topics.yaml"))
        let run = try await Tool.run(["export", "--strimzi"])
        #expect(run.status == 0, "\(run)")
        #expect(Data(run.stdout.utf8) == golden, "regenerate with: citytopics export --strimzi --output deploy/k8s/base/kafka/kafka-topics.yaml")
    }

    @Test("export --output writes the file; --cluster and --replication-factor change the resources")
    func exportToFile() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("topics-\(UUID().uuidString).yaml").path
        let run = try await Tool.run(["export", "--strimzi", "--cluster", "city-kafka", "--replication-factor", "1", "--output", path])
        #expect(run.status == 0, "\(run)")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.components(separatedBy: "kind: KafkaTopic").count - 1 == 16)
        #expect(text.contains("strimzi.io/cluster: city-kafka"))
        #expect(!text.contains("replicas: 3"))
        #expect(text.contains("  name: city-notifications-deliveries-v1-dlq\n"))
        #expect(text.contains("  topicName: city.notifications.deliveries.v1.dlq\n"))
    }

    @Test("export without a format is a usage error (exit 2)")
    func exportNeedsFormat() async throws {
        let run = try await Tool.run(["export"])
        #expect(run.status == 2, "\(run)")
        #expect(run.stderr.contains("--strimzi"))
    }

    @Test("check passes on the committed fixtures")
    func checkPasses() async throws {
        let run = try await Tool.run(["check", "--format", "json"])
        #expect(run.status == 0, "\(run)")
        let outcomes = try #require(try run.json() as? [[String: Any]])
        #expect(outcomes.count == 12)
        #expect(outcomes.allSatisfy { $0["ok"] as? Bool == true })
    }

    @Test("check fails (exit 1) when a fixture no longer decodes or an optional field became required")
    func checkDetectsBreaks() async throws {
        let copy = try Self.copyOfFixtures()
        // A retyped field: the committed observation now has a string where a number is expected.
        let observation = copy.appendingPathComponent("events/observation-recorded.json")
        let text = try String(contentsOf: observation, encoding: .utf8).replacingOccurrences(of: "\"value\" : 70.5", with: "\"value\" : \"70.5\"")
        try Data(text.utf8).write(to: observation)
        // A contract that says a field the current type requires is optional.
        let contract = copy.appendingPathComponent("contracts/vn.citydata.grant.updated.v1.json")
        var contractJSON = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: contract)) as? [String: Any])
        var fields = try #require(contractJSON["fields"] as? [String: Any])
        fields["agencyId"] = ["required": false, "type": "string"]
        contractJSON["fields"] = fields
        try JSONSerialization.data(withJSONObject: contractJSON).write(to: contract)

        let run = try await Tool.run(["check", "--fixtures", copy.path])
        #expect(run.status == 1, "\(run)")
        #expect(run.stdout.contains("FAIL  events/observation-recorded.json"))
        #expect(run.stdout.contains("measurements[0].value"))
        #expect(run.stdout.contains("optional field 'agencyId' became required"))
        #expect(run.stdout.contains("ok    events/dataset-updated.json"))
    }

    @Test("check without fixtures says where it looked (exit 5)")
    func checkWithoutFixtures() async throws {
        let run = try await Tool.run(["check", "--fixtures", "/nonexistent/fixtures"])
        #expect(run.status == 5, "\(run)")
        #expect(run.stderr.contains("/nonexistent/fixtures/events"))
    }

    static func copyOfFixtures() throws -> URL {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("fixtures-\(UUID().uuidString)")
        try FileManager.default.copyItem(
            at: URL(fileURLWithPath: RepositoryRoot.path + "/Tests/CityEventsTests/Fixtures"), to: target
        )
        return target
    }
}
