import CityEvents
import CityTestSupport
import Foundation
import Testing

/// `list`, `describe` and `apply --dry-run` against the dev cluster, and a private cluster that lacks
/// one registry topic.
@Suite("citytopics list, describe and apply")
struct ClusterInspectionTests {
    @Test("list shows every registry topic present and matching on the dev cluster")
    func listDevCluster() async throws {
        let kafka = try LiveKafka.bootstrapServers()
        let run = try await Tool.run(["list", "--format", "json"], kafka: kafka)
        #expect(run.status == 0, "\(run)")
        let report = try #require(try run.json() as? [String: Any])
        let topics = try #require(report["topics"] as? [[String: Any]])
        #expect(topics.compactMap { $0["name"] as? String } == TopicRegistry().allTopics.map(\.name))
        #expect(report["ok"] as? Bool == true)
        let observations = try #require(topics.first { $0["name"] as? String == TopicName.observations })
        let cluster = try #require(observations["cluster"] as? [String: Any])
        #expect(cluster["partitions"] as? Int == 12)
        #expect((report["brokers"] as? Int ?? 0) >= 1)
    }

    @Test("describe shows leader, replicas, in-sync replicas and watermarks of every partition")
    func describeTopic() async throws {
        let kafka = try LiveKafka.bootstrapServers()
        let run = try await Tool.run(["describe", TopicName.observations, "--format", "json"], kafka: kafka)
        #expect(run.status == 0, "\(run)")
        let report = try #require(try run.json() as? [String: Any])
        let partitions = try #require(report["partitions"] as? [[String: Any]])
        #expect(partitions.compactMap { $0["id"] as? Int } == Array(0..<12))
        for partition in partitions {
            let replicas = try #require(partition["replicas"] as? [Int])
            #expect(!replicas.isEmpty)
            #expect(replicas.contains(try #require(partition["leader"] as? Int)))
            #expect((partition["inSyncReplicas"] as? [Int])?.isEmpty == false)
            #expect((partition["high"] as? Int ?? -1) >= (partition["low"] as? Int ?? 0))
        }
        let registry = try #require(report["registry"] as? [String: Any])
        #expect((registry["config"] as? [String: String])?["retention.ms"] == String(TopicRetention.sevenDays))

        let text = try await Tool.run(["describe", TopicName.observations], kafka: kafka)
        #expect(text.stdout.contains("PARTITION  LEADER"))
    }

    @Test("describe of a topic nobody knows exits 5")
    func describeUnknown() async throws {
        let kafka = try LiveKafka.bootstrapServers()
        let run = try await Tool.run(["describe", KafkaTestKit.uniqueName("no-such-topic")], kafka: kafka)
        #expect(run.status == 5, "\(run)")
    }

    @Test("an unreachable cluster exits 3 with a readable line")
    func unreachable() async throws {
        let port = try freeTCPPort()
        let run = try await Tool.run(["list", "--timeout", "2", "--bootstrap-servers", "127.0.0.1:\(port)"])
        #expect(run.status == 3, "\(run)")
        #expect(run.stderr.contains("cannot reach the Kafka cluster"))
    }

    @Test("apply --dry-run on the dev cluster: nothing to do")
    func applyNothingToDo() async throws {
        let kafka = try LiveKafka.bootstrapServers()
        let run = try await Tool.run(["apply", "--dry-run"], kafka: kafka)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains("nothing to do"))
    }

    @Test("apply --dry-run against a cluster missing a registry topic shows the create (exit 1); apply on the mock fails with exit 4")
    func applyShowsCreate() async throws {
        let registry = TopicRegistry(replicationFactor: 1)
        let missing = TopicName.deadLetter(of: TopicName.deliveries)
        var topics: [String: Int] = [:]
        for topic in registry.allTopics where topic.name != missing { topics[topic.name] = topic.partitions }
        try await DevCluster.with(topics: topics) { cluster in
            let text = try await Tool.run(["apply", "--dry-run"], kafka: cluster.bootstrapServers)
            #expect(text.status == 1, "\(text)")
            #expect(text.stdout.contains("+ create \(missing): 6 partitions, replication 1, cleanup.policy=delete"))
            #expect(text.stdout.components(separatedBy: "+ create").count == 2)

            let json = try await Tool.run(["apply", "--dry-run", "--format", "json"], kafka: cluster.bootstrapServers)
            let report = try #require(try json.json() as? [String: Any])
            let creations = try #require(report["create"] as? [[String: Any]])
            #expect(creations.map { $0["name"] as? String } == [missing])
            #expect((report["unchanged"] as? [Any])?.isEmpty == true)

            // librdkafka's mock has no CreateTopics: the tool must fail with its Kafka exit code, not hang.
            let applied = try await Tool.run(["apply", "--timeout", "3"], kafka: cluster.bootstrapServers)
            #expect(applied.status == 4, "\(applied)")
            #expect(applied.stderr.contains("CreateTopics") || applied.stderr.contains("not created"))
        }
    }
}
