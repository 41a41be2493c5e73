import CityEvents
import CityKafka
import CityTestSupport
import Foundation
import Testing

/// `lag`, `replay` and `dlq` against the dev cluster, each test on topics and groups of its own.
@Suite("citytopics lag, replay and dlq")
struct LagReplayDeadLetterTests {
    @Test("lag: committed offset against the high watermark, per partition and in total")
    func lag() async throws {
        let kafka = try LiveKafka.bootstrapServers()
        let topic = KafkaTestKit.uniqueName("topics-lag")
        let group = "\(topic).consumer"
        let records = try (0..<10).map { try TestRecords.record(try TestRecords.observation(source: "s\($0)", value: Double($0)), topic: topic, partition: 0) }
        try await TestRecords.produce(records, to: kafka)
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(client: TestRecords.client(kafka), groupID: group, topics: [topic]),
            logger: KafkaTestKit.logger
        )
        var read = 0
        for try await record in consumer.records {
            consumer.storeOffset(for: record)
            read += 1
            if read == 6 { break }
        }
        await consumer.close()

        let run = try await Tool.run(["lag", group, "--topic", topic, "--format", "json"], kafka: kafka)
        #expect(run.status == 0, "\(run)")
        let report = try #require(try run.json() as? [String: Any])
        let partitions = try #require(report["partitions"] as? [[String: Any]])
        #expect(partitions.count == 1)
        #expect(partitions.first?["committed"] as? Int == 6)
        #expect(partitions.first?["high"] as? Int == 10)
        #expect(partitions.first?["lag"] as? Int == 4)
        #expect(report["totalLag"] as? Int == 4)

        let text = try await Tool.run(["lag", group, "--topic", topic], kafka: kafka)
        #expect(text.stdout.contains("total lag: 4"))
        let unknown = try await Tool.run(["lag", "\(topic).nobody", "--topic", topic], kafka: kafka)
        #expect(unknown.status == 5, "\(unknown)")
    }

    @Test("replay copies exactly the records of the time range, marked with where they came from")
    func replay() async throws {
        let kafka = try LiveKafka.bootstrapServers()
        let source = KafkaTestKit.uniqueName("topics-replay-src")
        let early = try (0..<3).map { try TestRecords.observation(source: "early-\($0)", value: 1) }
        try await TestRecords.produce(try early.map { try TestRecords.record($0, topic: source) }, to: kafka)
        try await Task.sleep(for: .milliseconds(1500))
        let boundary = Int64(Date().timeIntervalSince1970 * 1000)
        try await Task.sleep(for: .milliseconds(1500))
        let late = try (0..<2).map { try TestRecords.observation(source: "late-\($0)", value: 2) }
        try await TestRecords.produce(try late.map { try TestRecords.record($0, topic: source) }, to: kafka)

        let lateCopy = KafkaTestKit.uniqueName("topics-replay-late")
        let run = try await Tool.run(["replay", source, "--from-time", String(boundary), "--to", lateCopy, "--format", "json"] + Tool.autoCreate, kafka: kafka)
        #expect(run.status == 0, "\(run)")
        #expect((try run.json() as? [String: Any])?["replayed"] as? Int == 2)
        let copied = try await Tool.run(["tail", lateCopy, "--format", "json"], kafka: kafka)
        let lines = try copied.jsonLines()
        #expect(Set(lines.compactMap { ($0["event"] as? [String: Any])?["id"] as? String }) == Set(late.map(\.id)))
        for line in lines {
            let headers = try #require(line["headers"] as? [[String: Any]])
            let origin = headers.first { $0["name"] as? String == "citytopics-replayed-from" }
            #expect(((origin?["value"] as? [String: Any])?["data"] as? String)?.hasPrefix(source + "/") == true)
        }

        let earlyCopy = KafkaTestKit.uniqueName("topics-replay-early")
        let bounded = try await Tool.run(["replay", source, "--from-time", String(boundary - 600_000), "--to-time", String(boundary), "--to", earlyCopy, "--format", "json"] + Tool.autoCreate, kafka: kafka)
        #expect(bounded.status == 0, "\(bounded)")
        #expect((try bounded.json() as? [String: Any])?["replayed"] as? Int == 3)
        let earlyLines = try await Tool.run(["tail", earlyCopy, "--format", "json"], kafka: kafka).jsonLines()
        #expect(Set(earlyLines.compactMap { ($0["event"] as? [String: Any])?["id"] as? String }) == Set(early.map(\.id)))

        let fromTime = try await Tool.run(["tail", source, "--from-time", String(boundary), "--format", "json"], kafka: kafka)
        #expect(try fromTime.jsonLines().count == 2)
    }

    @Test("dlq list, show and redrive: each dead letter goes back once, and a second redrive sends nothing")
    func deadLetters() async throws {
        let kafka = try LiveKafka.bootstrapServers()
        let original = KafkaTestKit.uniqueName("topics-orig")
        let deadLetterTopic = original + ".dlq"
        let logTopic = KafkaTestKit.uniqueName("topics-redrive-log")
        let failed = try (0..<2).map { index in
            try EventCodec.encode(try TestRecords.observation(source: "dead-\(index)", value: Double(index)))
        }
        let letters = try failed.enumerated().map { index, record in
            var record = record
            record.topic = original
            let letter = DeadLetterRecord(failed: record, partition: 0, offset: Int64(index), error: "field 'x' is bad", consumerGroup: "\(original).consumer", attempts: 3)
            let encoded = try EventCodec.encode(letter, source: "/city/tests")
            #expect(encoded.topic == deadLetterTopic)
            return KafkaProducerRecord(topic: encoded.topic, key: encoded.key, value: encoded.value, headers: encoded.headers.map { KafkaHeader(name: $0.name, value: $0.value) })
        }
        try await TestRecords.produce(letters, to: kafka)

        let list = try await Tool.run(["dlq", "list", "--format", "json"], kafka: kafka)
        #expect(list.status == 0, "\(list)")
        let rows = try #require((try list.json() as? [String: Any])?["topics"] as? [[String: Any]])
        let row = try #require(rows.first { $0["topic"] as? String == deadLetterTopic })
        #expect(row["messages"] as? Int == 2)
        #expect(row["originalTopic"] as? String == original)

        let show = try await Tool.run(["dlq", "show", original, "--log-topic", logTopic, "--format", "json"], kafka: kafka)
        #expect(show.status == 0, "\(show)")
        let entries = try #require(try show.json() as? [[String: Any]])
        #expect(entries.count == 2)
        #expect(entries.allSatisfy { $0["redriven"] as? Bool == false && $0["originalTopic"] as? String == original && $0["error"] as? String == "field 'x' is bad" })

        let redrive = try await Tool.run(["dlq", "redrive", deadLetterTopic, "--log-topic", logTopic, "--format", "json"] + Tool.autoCreate, kafka: kafka)
        #expect(redrive.status == 0, "\(redrive)")
        #expect((try redrive.json() as? [String: Any])?["redriven"] as? Int == 2)

        let again = try await Tool.run(["dlq", "redrive", deadLetterTopic, "--log-topic", logTopic, "--format", "json"] + Tool.autoCreate, kafka: kafka)
        #expect(again.status == 0, "\(again)")
        let second = try #require(try again.json() as? [String: Any])
        #expect(second["redriven"] as? Int == 0)
        #expect(second["alreadyRedriven"] as? Int == 2)

        // The originals are back on their topic, once each, byte for byte, marked with their dead letter.
        let back = try await Tool.run(["tail", original, "--format", "json"], kafka: kafka)
        let lines = try back.jsonLines()
        #expect(lines.count == 2)
        let failedIDs = try failed.map { try CloudEvent(kafkaHeaders: $0.headers, value: $0.value).id }
        #expect(Set(lines.compactMap { ($0["event"] as? [String: Any])?["id"] as? String }) == Set(failedIDs))
        for line in lines {
            let headers = try #require(line["headers"] as? [[String: Any]])
            #expect(headers.contains { $0["name"] as? String == "citytopics-redriven-from" })
        }
        let shown = try await Tool.run(["dlq", "show", deadLetterTopic, "--log-topic", logTopic, "--format", "json"], kafka: kafka)
        #expect(try #require(try shown.json() as? [[String: Any]]).allSatisfy { $0["redriven"] as? Bool == true })
    }
}
