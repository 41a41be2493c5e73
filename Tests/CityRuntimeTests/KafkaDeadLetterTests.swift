import CityTestSupport
import CityEvents
import CityKafka
import CityRuntime
import Foundation
import Testing

/// The at-least-once processor (`runtime-probe process`) with retries and dead letters, against a
/// private dev cluster.
@Suite("Kafka dead letters and at-least-once processing", .serialized)
struct KafkaDeadLetterTests {
    @Test("a poison message lands in the DLQ with its reason while the following records are processed")
    func poisonGoesToDeadLetters() async throws {
        let topic = KafkaTestKit.uniqueName("orders")
        let dlq = TopicName.deadLetter(of: topic)
        try await DevCluster.with(topics: [topic: 1, dlq: 1]) { cluster in
            try await Self.poisonScenario(cluster: cluster, topic: topic, dlq: dlq)
        }
    }

    static func poisonScenario(cluster: DevCluster, topic: String, dlq: String) async throws {
        do {
            let values: [[UInt8]] = [Array("a1".utf8), Array("bad".utf8), [0xFF, 0xFE, 0x00], Array("a2".utf8), Array("a3".utf8)]
            try await KafkaTestKit.produce(values.map { KafkaProducerRecord(topic: topic, key: Array("key-1".utf8), value: $0) }, to: cluster)
            let group = "orders-processor"
            let probe = try KafkaTestKit.probe(["process", "--topic", topic, "--group", group, "--fail-values", "bad", "--retries", "2"], cluster: cluster)
            _ = try await probe.waitForLine(within: .seconds(30)) { $0 == "processed a3" }
            #expect(probe.outputLines.filter { $0.hasPrefix("processed ") } == ["processed a1", "processed a2", "processed a3"])

            let letters = try await KafkaTestKit.read(dlq, count: 2, from: cluster)
            #expect(letters.count == 2)
            let failingLetter = letters.first { $0.offset == 0 }
            let undecodableLetter = letters.first { $0.offset == 1 }
            let failing = try #require(failingLetter)
            let undecodable = try #require(undecodableLetter)
            Self.checkOrigin(of: failing, topic: topic, offset: 1, group: group)
            Self.checkOrigin(of: undecodable, topic: topic, offset: 2, group: group)
            #expect(failing.header(DeadLetterPublisher.HeaderName.error)?.text == "value bad is configured to fail")
            #expect(undecodable.header(DeadLetterPublisher.HeaderName.error)?.text == "the value is not UTF-8 text")

            let failingEvent = try EventCodec.decode(DeadLetterRecord.self, record: failing.eventRecord)
            #expect(failingEvent.payload.attempts == 3, "one attempt and two retries")
            #expect(failingEvent.payload.originalTopic == topic)
            #expect(failingEvent.payload.offset == 1)
            #expect(failingEvent.payload.consumerGroup == group)
            #expect(failingEvent.payload.originalRecord?.value == Array("bad".utf8))
            let undecodableEvent = try EventCodec.decode(DeadLetterRecord.self, record: undecodable.eventRecord)
            #expect(undecodableEvent.payload.attempts == 1, "an undecodable record is not retried")
            #expect(undecodableEvent.payload.originalRecord?.value == [0xFF, 0xFE, 0x00])

            probe.terminate()
            #expect(try await probe.waitForExit(within: .seconds(20)) == 0, "stderr: \(probe.standardError.suffix(2000))")
        }
    }

    /// The plain headers name where the record came from; the key is the original's.
    static func checkOrigin(of letter: KafkaConsumerRecord, topic: String, offset: Int, group: String) {
        #expect(letter.key == Array("key-1".utf8), "a dead letter keeps the original key")
        #expect(letter.header(DeadLetterPublisher.HeaderName.topic)?.text == topic)
        #expect(letter.header(DeadLetterPublisher.HeaderName.partition)?.text == "0")
        #expect(letter.header(DeadLetterPublisher.HeaderName.offset)?.text == String(offset))
        #expect(letter.header(DeadLetterPublisher.HeaderName.group)?.text == group)
    }

    @Test("SIGTERM under load: the processor exits 0 and, restarted, every record is processed")
    func terminateUnderLoad() async throws {
        let topic = KafkaTestKit.uniqueName("load")
        let total = 600
        try await DevCluster.with(topics: [topic: 3, TopicName.deadLetter(of: topic): 1]) { cluster in
            let records = (0..<total).map { KafkaProducerRecord(topic: topic, key: Array("k\($0 % 11)".utf8), value: Array("v\($0)".utf8)) }
            try await KafkaTestKit.produce(records, to: cluster)
            let arguments = ["process", "--topic", topic, "--group", "load-processor", "--delay-ms", "5"]
            let first = try KafkaTestKit.probe(arguments, cluster: cluster)
            _ = try await first.waitForLine(within: .seconds(30)) { $0 == "processed v1" || $0.hasPrefix("processed v") }
            try await KafkaTestKit.eventually("the first processor handled 100 records") {
                first.outputLines.filter { $0.hasPrefix("processed ") }.count >= 100
            }
            first.terminate()
            #expect(try await first.waitForExit(within: .seconds(20)) == 0, "stderr: \(first.standardError.suffix(2000))")
            let before = Set(first.outputLines.filter { $0.hasPrefix("processed ") })
            #expect(before.count < total, "SIGTERM came too late to test anything")

            let second = try KafkaTestKit.probe(arguments, cluster: cluster)
            try await KafkaTestKit.eventually("the restarted processor handled the rest") {
                before.union(second.outputLines.filter { $0.hasPrefix("processed ") }).count == total
            }
            // At least once, and the graceful stop committed what it had handled: at most the records
            // in hand at SIGTERM come again.
            let repeated = before.intersection(second.outputLines.filter { $0.hasPrefix("processed ") })
            #expect(repeated.count <= 3, "records handled before SIGTERM came again: \(repeated.count)")
            second.terminate()
            #expect(try await second.waitForExit(within: .seconds(20)) == 0)
        }
    }
}
