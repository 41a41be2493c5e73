import CityEvents
import CityKafka
import CityTestSupport
import Foundation
import Testing

/// `produce` and `tail` against the dev cluster, each test on topics of its own.
@Suite("citytopics produce and tail")
struct TailAndProduceTests {
    @Test("produce validates and sends structured CloudEvents; tail decodes them and shows an undecodable record raw")
    func produceThenTail() async throws {
        let kafka = try LiveKafka.bootstrapServers()
        let topic = KafkaTestKit.uniqueName("topics-tail")
        let events = try ["station-a", "station-b", "station-a"].enumerated().map { index, source in
            try TestRecords.observation(source: source, value: Double(10 + index))
        }
        let file = try TestRecords.file(try events.map { String(decoding: try EventCodec.structuredJSON($0), as: UTF8.self) })
        let produced = try await Tool.run(["produce", topic, "--file", file, "--allow-unregistered", "--format", "json"] + Tool.autoCreate, kafka: kafka)
        #expect(produced.status == 0, "\(produced)")
        #expect((try produced.json() as? [String: Any])?["sent"] as? Int == 3)

        // A record that is no CloudEvent at all: tail must show it, raw, with the reason.
        try await TestRecords.produce([KafkaProducerRecord(topic: topic, key: Array("station-a".utf8), value: Array("not json".utf8))], to: kafka)

        let tail = try await Tool.run(["tail", topic, "--format", "json"], kafka: kafka)
        #expect(tail.status == 0, "\(tail)")
        let lines = try tail.jsonLines()
        #expect(lines.count == 4)
        let decoded = lines.filter { $0["event"] is [String: Any] }
        #expect(Set(decoded.compactMap { ($0["event"] as? [String: Any])?["id"] as? String }) == Set(events.map(\.id)))
        for line in decoded {
            let event = try #require(line["event"] as? [String: Any])
            #expect(event["type"] as? String == EventType.observationRecorded)
            #expect(line["error"] is NSNull)
            #expect(line["partition"] is Int && line["offset"] is Int && line["timestamp"] is String)
        }
        let raw = try #require(lines.first { $0["event"] is NSNull })
        #expect((raw["raw"] as? [String: Any])?["data"] as? String == "not json")
        #expect((raw["error"] as? String)?.contains("ce_specversion") == true)

        // Filters: by key, and by a data field.
        let byKey = try await Tool.run(["tail", topic, "--format", "json", "--filter", "key=station-b"], kafka: kafka)
        #expect(try byKey.jsonLines().count == 1)
        let byData = try await Tool.run(["tail", topic, "--format", "json", "--filter", "data.sourceId=station-a", "--filter", "type~observation"], kafka: kafka)
        #expect(try byData.jsonLines().count == 2)
        let limited = try await Tool.run(["tail", topic, "--format", "json", "--max", "1"], kafka: kafka)
        #expect(try limited.jsonLines().count == 1)

        // --offset P:O reads one partition from that offset.
        let first = try #require(decoded.first)
        let partition = try #require(first["partition"] as? Int)
        let offset = try #require(first["offset"] as? Int)
        let fromOffset = try await Tool.run(["tail", topic, "--format", "json", "--offset", "\(partition):\(offset)"], kafka: kafka)
        let fromLines = try fromOffset.jsonLines()
        #expect(fromLines.allSatisfy { $0["partition"] as? Int == partition && ($0["offset"] as? Int ?? -1) >= offset })
        #expect(fromLines.first?["offset"] as? Int == offset)

        let pretty = try await Tool.run(["tail", topic], kafka: kafka)
        #expect(pretty.stdout.contains("! does not decode:"))
        #expect(pretty.stdout.contains("raw: not json"))
        #expect(pretty.stdout.contains("ce_type: vn.citydata.observation.recorded.v1"))
    }

    @Test("tail --follow shows a record written after it started")
    func follow() async throws {
        let kafka = try LiveKafka.bootstrapServers()
        let topic = KafkaTestKit.uniqueName("topics-follow")
        try await TestRecords.produce([try TestRecords.record(try TestRecords.observation(source: "old", value: 1), topic: topic)], to: kafka)
        let child = try ChildProcess("citytopics", arguments: ["tail", topic, "--follow", "--format", "json", "--max", "1"], environment: ["KAFKA_BOOTSTRAP_SERVERS": kafka])
        try await Task.sleep(for: .seconds(3))
        let fresh = try TestRecords.observation(source: "new", value: 2)
        try await TestRecords.produce([try TestRecords.record(fresh, topic: topic)], to: kafka)
        let status = try await child.waitForExit(within: .seconds(30))
        #expect(status == 0, "\(child.standardError)")
        #expect(child.standardOutput.contains(fresh.id))
        #expect(!child.standardOutput.contains("\"key\":{\"data\":\"old\""))
    }

    @Test("produce sends nothing when any event is invalid (exit 1, one line per problem)")
    func produceRefusesInvalid() async throws {
        let kafka = try LiveKafka.bootstrapServers()
        let topic = KafkaTestKit.uniqueName("topics-invalid")
        let valid = String(decoding: try EventCodec.structuredJSON(try TestRecords.observation(source: "s", value: 1.5)), as: UTF8.self)
        let retyped = valid.replacingOccurrences(of: "\"value\":1.5", with: "\"value\":\"one\"")
        #expect(retyped != valid)
        let file = try TestRecords.file([valid, retyped, "{\"not\": \"an event\"}"])
        let run = try await Tool.run(["produce", topic, "--file", file, "--allow-unregistered"] + Tool.autoCreate, kafka: kafka)
        #expect(run.status == 1, "\(run)")
        #expect(run.stderr.contains("line 2: "))
        #expect(run.stderr.contains("line 3: "))
        #expect(!run.stderr.contains("line 1: "))
        #expect(run.stderr.contains("nothing sent"))
        // Nothing was sent: the topic was never even created.
        let tail = try await Tool.run(["tail", topic], kafka: kafka)
        #expect(tail.status == 5, "\(tail)")
    }

    @Test("produce refuses an event type the registry topic does not carry, and an unregistered topic without the flag")
    func produceChecksRegistry() async throws {
        let kafka = try LiveKafka.bootstrapServers()
        let valid = String(decoding: try EventCodec.structuredJSON(try TestRecords.observation(source: "s", value: 1)), as: UTF8.self)
        let file = try TestRecords.file([valid])
        let wrongTopic = try await Tool.run(["produce", TopicName.indicatorAlerts, "--file", file], kafka: kafka)
        #expect(wrongTopic.status == 1, "\(wrongTopic)")
        #expect(wrongTopic.stderr.contains("line 1: \(TopicName.indicatorAlerts) carries \(EventType.indicatorAlert)"))
        let unregistered = try await Tool.run(["produce", KafkaTestKit.uniqueName("topics-x"), "--file", file], kafka: kafka)
        #expect(unregistered.status == 2, "\(unregistered)")
        #expect(unregistered.stderr.contains("--allow-unregistered"))
        let missingFile = try await Tool.run(["produce", TopicName.observations, "--file", "/nonexistent.ndjson"], kafka: kafka)
        #expect(missingFile.status == 5, "\(missingFile)")
    }
}
