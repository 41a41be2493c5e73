import CityKafka
import Foundation
import Testing

/// Round trips and ordering against a dev cluster running as its own process, over TCP.
@Suite("Producer and consumer", .serialized)
struct ProducerConsumerTests {
    @Test("a record keeps its key, value and headers (including a null header) through Kafka")
    func roundTripWithKeyAndHeaders() async throws {
        let cluster = try await DevCluster(topics: ["roundtrip": 3])
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: cluster.client), logger: testLogger())
        let headers = [
            KafkaHeader(name: "ce_type", text: "vn.citydata.test.v1"),
            KafkaHeader(name: "empty", value: []),
            KafkaHeader(name: "null", value: nil),
        ]
        let report = try await producer.send(KafkaProducerRecord(
            topic: "roundtrip", key: Array("station-1".utf8), value: Array("{\"pm25\":31.0}".utf8), headers: headers
        ))
        #expect(report.topic == "roundtrip")
        #expect(report.offset >= 0)
        let tombstone = try await producer.send(KafkaProducerRecord(topic: "roundtrip", key: Array("station-1".utf8), value: nil))
        #expect(tombstone.partition == report.partition, "the same key goes to the same partition")
        await producer.shutdown()

        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(client: cluster.client, groupID: uniqueName("g"), topics: ["roundtrip"]),
            logger: testLogger()
        )
        var received: [KafkaConsumerRecord] = []
        for try await record in consumer.records {
            received.append(record)
            consumer.storeOffset(for: record)
            if received.count == 2 { break }
        }
        await consumer.close()
        let first = try #require(received.first)
        #expect(first.key == Array("station-1".utf8))
        #expect(first.value == Array("{\"pm25\":31.0}".utf8))
        #expect(first.headers == headers)
        #expect(first.partition == report.partition && first.offset == report.offset)
        #expect(first.timestampMilliseconds != nil)
        #expect(received[1].value == nil, "a tombstone arrives with a null value")
        try await cluster.stop()
    }

    @Test("records of one key arrive in the order they were sent")
    func perKeyOrdering() async throws {
        let cluster = try await DevCluster(topics: ["ordered": 6])
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: cluster.client), logger: testLogger())
        let keys = 8
        let perKey = 500
        let records = (0..<(keys * perKey)).map { index in
            KafkaProducerRecord(topic: "ordered", key: Array("k\(index % keys)".utf8), value: Array(String(index / keys).utf8))
        }
        for result in await producer.send(records) { _ = try result.get() }
        await producer.shutdown()

        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(client: cluster.client, groupID: uniqueName("g"), topics: ["ordered"]),
            logger: testLogger()
        )
        var sequences: [String: [Int]] = [:]
        var count = 0
        for try await record in consumer.records {
            let key = String(decoding: record.key ?? [], as: UTF8.self)
            sequences[key, default: []].append(Int(String(decoding: record.value ?? [], as: UTF8.self))!)
            consumer.storeOffset(for: record)
            count += 1
            if count == records.count { break }
        }
        await consumer.close()
        #expect(sequences.count == keys)
        for (key, sequence) in sequences {
            #expect(sequence == Array(0..<perKey), "key \(key) out of order")
        }
        try await cluster.stop()
    }

    @Test("nextBatch() after next() hands out the rest of the poll batch, then whole batches: every record once, in partition order, with its topic")
    func batchesAfterSingleRecords() async throws {
        let cluster = try await DevCluster(topics: ["batched": 3])
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: cluster.client), logger: testLogger())
        let total = 3_000
        let records = (0..<total).map { index in
            KafkaProducerRecord(topic: "batched", key: Array("k\(index % 3)".utf8), value: Array(String(index).utf8))
        }
        for result in await producer.send(records) { _ = try result.get() }
        await producer.shutdown()

        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(client: cluster.client, groupID: uniqueName("g"), topics: ["batched"]),
            logger: testLogger()
        )
        // A lost record would leave the loop waiting: the watchdog closes the consumer, which ends it.
        let watchdog = Task {
            try? await Task.sleep(for: .seconds(20))
            await consumer.close()
        }
        var iterator = consumer.records.makeAsyncIterator()
        var received = [try #require(try await iterator.next())]
        var batches = 0
        while received.count < total, let batch = try await iterator.nextBatch() {
            received.append(contentsOf: batch)
            batches += 1
        }
        watchdog.cancel()
        await consumer.close()
        #expect(received.count == total)
        #expect(Set(received.map { String(decoding: $0.value ?? [], as: UTF8.self) }).count == total, "no record twice, none lost")
        #expect(received.allSatisfy { $0.topic == "batched" })
        for partition in Set(received.map(\.partition)) {
            let offsets = received.filter { $0.partition == partition }.map(\.offset)
            #expect(offsets == offsets.sorted() && offsets.first == 0, "partition \(partition) out of order")
        }
        #expect(batches < total - 1, "records came in batches, not one by one")
        try await cluster.stop()
    }

    @Test("a batch larger than the local queue waits for room instead of failing")
    func queueFullWaits() async throws {
        let cluster = try await DevCluster(topics: ["full": 3])
        var configuration = KafkaProducerConfiguration(client: cluster.client)
        configuration.maxQueuedMessages = 1_000
        let producer = try KafkaProducer(configuration: configuration, logger: testLogger())
        let records = (0..<20_000).map { KafkaProducerRecord(topic: "full", key: Array("k\($0 % 7)".utf8), value: Array(repeating: 0x61, count: 100)) }
        let results = await producer.send(records)
        let failures = results.filter { if case .failure = $0 { true } else { false } }
        #expect(failures.isEmpty, "first failure: \(String(describing: failures.first))")
        let admin = try KafkaAdmin(configuration: cluster.client, logger: testLogger())
        var total: Int64 = 0
        for partition in 0..<3 {
            let (low, high) = try await admin.watermarks(topic: "full", partition: Int32(partition))
            total += high - low
        }
        #expect(total == 20_000)
        await admin.shutdown()
        await producer.shutdown()
        try await cluster.stop()
    }
}
