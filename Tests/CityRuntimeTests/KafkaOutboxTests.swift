import CityTestSupport
import CityEvents
import CityKafka
import CityRuntime
import Foundation
import PostgresNIO
import Testing

/// The transactional outbox and its relay (`runtime-probe relay`), and the inbox, against a real
/// Postgres and a private dev cluster.
@Suite("Kafka outbox and inbox", .serialized)
struct KafkaOutboxTests {
    static func migrate(_ schema: SQLIdentifier, _ migrations: [Migration]) async throws {
        try await TestDatabase.withAdminClient { client in
            _ = try await MigrationRunner(schema: schema, migrations: migrations).apply(using: client, logger: TestDatabase.logger)
        }
    }

    static func unsentCount(_ schema: SQLIdentifier) async -> Int {
        await KafkaTestKit.count("SELECT count(*) FROM \(schema.quoted).outbox WHERE sent_at IS NULL")
    }

    @Test("the relay killed between publishing and marking sent loses no event; duplicates carry the same ce_id")
    func relayKilledBetweenPublishAndMark() async throws {
        _ = try TestDatabase.adminURL()
        let topic = KafkaTestKit.uniqueName("outbox")
        let total = 300
        try await TestDatabase.withSchema("outbox") { schema in
            try await Self.migrate(schema, [OutboxMigration.migration(version: 1, schema: schema)])
            let outbox = Outbox(schema: schema, logger: TestDatabase.logger)
            let expected: [String: String] = try await TestDatabase.withAdminClient { client in  // ce_id → value
                var expected: [String: String] = [:]
                for start in stride(from: 0, to: total, by: 50) {
                    let records = (start..<start + 50).map { index in
                        KafkaRecord(
                            topic: topic, key: Array("k\(index % 7)".utf8),
                            headers: [EventHeader(name: CloudEventHeaderName.id, text: EventCodec.newEventID())],
                            value: Array("event-\(index)".utf8)
                        )
                    }
                    try await client.withTransaction(logger: TestDatabase.logger) { connection in
                        for record in records { try await outbox.enqueue(record, on: connection) }
                    }
                    for record in records { expected[record.headers[0].text!] = String(decoding: record.value!, as: UTF8.self) }
                }
                return expected
            }
            try await DevCluster.with(topics: [topic: 3]) { cluster in
                let first = try KafkaTestKit.probe(["relay", "--schema", schema.name, "--batch-size", "100", "--pause-after-publish-ms", "30000"], cluster: cluster)
                _ = try await first.waitForLine(within: .seconds(30)) { $0.hasPrefix("published ") }
                first.signal(SIGKILL)
                _ = try await first.waitForExit(within: .seconds(10))
                #expect(await Self.unsentCount(schema) == total, "the kill must land before the batch was marked sent")

                let second = try KafkaTestKit.probe(["relay", "--schema", schema.name, "--batch-size", "100"], cluster: cluster)
                try await KafkaTestKit.eventually("the restarted relay sent every row") { await Self.unsentCount(schema) == 0 }
                second.terminate()
                #expect(try await second.waitForExit(within: .seconds(20)) == 0, "stderr: \(second.standardError.suffix(2000))")

                let published = try await KafkaTestKit.readAll(topic, from: cluster)
                var seen: [String: String] = [:]
                var firstIndicesPerKey: [String: [Int]] = [:]
                for record in published {
                    let id = try #require(record.header(CloudEventHeaderName.id)?.text)
                    let value = String(decoding: record.value ?? [], as: UTF8.self)
                    #expect(expected[id] == value, "event \(id) arrived as \(value)")
                    if let earlier = seen[id] {
                        #expect(earlier == value, "ce_id \(id) reused for another event")
                        continue
                    }
                    seen[id] = value
                    let key = String(decoding: record.key ?? [], as: UTF8.self)
                    firstIndicesPerKey[key, default: []].append(Int(value.dropFirst("event-".count)) ?? -1)
                }
                for (key, indices) in firstIndicesPerKey {
                    #expect(indices == indices.sorted(), "key \(key) was published out of outbox order")
                }
                #expect(Set(seen.keys) == Set(expected.keys), "lost \(expected.count - seen.count) events")
                // The batch acknowledged before the kill (rows 1–100) went out twice, nothing else.
                #expect(published.count == total + 100, "published \(published.count) records for \(total) events")
            }
        }
    }

    @Test("a batch enqueue keeps its order, every header byte (odd names, binary values) and tombstones through the relay")
    func batchKeepsOrderHeadersAndTombstones() async throws {
        _ = try TestDatabase.adminURL()
        let topic = KafkaTestKit.uniqueName("outbox-headers")
        let oddName = "x-odd \"name\" \\ \u{1} é"
        let binary = (0...255).map { UInt8($0) }
        let records = (0..<20).map { index in
            KafkaRecord(
                topic: topic, key: index == 3 ? nil : Array("key".utf8),
                headers: [EventHeader(name: CloudEventHeaderName.id, text: "event-\(index)"), EventHeader(name: oddName, value: binary),
                          EventHeader(name: "empty", value: [])],
                value: index == 5 ? nil : Array("value-\(index)".utf8))
        }
        try await TestDatabase.withSchema("outboxh") { schema in
            try await Self.migrate(schema, [OutboxMigration.migration(version: 1, schema: schema)])
            let outbox = Outbox(schema: schema, logger: TestDatabase.logger)
            try await TestDatabase.withAdminClient { client in
                try await client.withTransaction(logger: TestDatabase.logger) { connection in try await outbox.enqueue(records, on: connection) }
            }
            try await DevCluster.with(topics: [topic: 1]) { cluster in
                let relay = try KafkaTestKit.probe(["relay", "--schema", schema.name, "--batch-size", "7"], cluster: cluster)
                try await KafkaTestKit.eventually("the relay sent every row") { await Self.unsentCount(schema) == 0 }
                relay.terminate()
                _ = try await relay.waitForExit(within: .seconds(20))
                let published = try await KafkaTestKit.readAll(topic, from: cluster)
                #expect(published.map { $0.header(CloudEventHeaderName.id)?.text } == records.map { $0.headers[0].text }, "outbox order")
                for (record, sent) in zip(records, published) {
                    #expect(sent.headers.map(\.name) == record.headers.map(\.name))
                    #expect(sent.headers.map { $0.value ?? [] } == record.headers.map(\.value))
                    #expect(sent.key == record.key)
                    #expect(sent.value == record.value)
                }
            }
        }
    }

    @Test("a row committed after a higher id was relayed (a straggler) is still published")
    func stragglerIsSwept() async throws {
        _ = try TestDatabase.adminURL()
        let topic = KafkaTestKit.uniqueName("outbox-straggler")
        let (straggler, later) = (Self.record("straggler", topic: topic), Self.record("later", topic: topic))
        try await TestDatabase.withSchema("outboxs") { schema in
            try await Self.migrate(schema, [OutboxMigration.migration(version: 1, schema: schema)])
            let outbox = Outbox(schema: schema, logger: TestDatabase.logger)
            try await DevCluster.with(topics: [topic: 1]) { cluster in
                try await TestDatabase.withAdminClient { client in
                    try await client.withConnection { open in
                        // The straggler's transaction takes the lower id and stays open…
                        try await open.query("BEGIN", logger: TestDatabase.logger)
                        try await outbox.enqueue(straggler, on: open)
                        // …while a later transaction, with a higher id, commits and is relayed.
                        try await client.withTransaction(logger: TestDatabase.logger) { connection in
                            try await outbox.enqueue(later, on: connection)
                        }
                        let relay = try KafkaTestKit.probe(["relay", "--schema", schema.name], cluster: cluster)
                        try await KafkaTestKit.eventually("the later row was relayed") { await Self.unsentCount(schema) == 0 }
                        try await open.query("COMMIT", logger: TestDatabase.logger)
                        // The relay now reads after the later row's id: only its sweep from the start finds the straggler.
                        try await KafkaTestKit.eventually(within: .seconds(30), "the straggler was relayed") { await Self.unsentCount(schema) == 0 }
                        relay.terminate()
                        _ = try await relay.waitForExit(within: .seconds(20))
                    }
                }
                let published = try await KafkaTestKit.readAll(topic, from: cluster)
                #expect(published.map { $0.header(CloudEventHeaderName.id)?.text } == ["later", "straggler"])
            }
        }
    }

    @Test("an idle relay reads the outbox about once per poll interval, not in a loop")
    func idleRelayDoesNotSpin() async throws {
        _ = try TestDatabase.adminURL()
        let topic = KafkaTestKit.uniqueName("outbox-idle")
        try await TestDatabase.withSchema("outboxi") { schema in
            try await Self.migrate(schema, [OutboxMigration.migration(version: 1, schema: schema)])
            let outbox = Outbox(schema: schema, logger: TestDatabase.logger)
            try await DevCluster.with(topics: [topic: 1]) { cluster in
                let relay = try KafkaTestKit.probe(["relay", "--schema", schema.name], cluster: cluster)
                try await TestDatabase.withAdminClient { client in
                    try await client.withTransaction(logger: TestDatabase.logger) { connection in
                        try await outbox.enqueue(Self.record("first", topic: topic), on: connection)
                    }
                }
                try await KafkaTestKit.eventually("the relay sent the row") { await Self.unsentCount(schema) == 0 }
                // Reads of the outbox table (each relay poll is one), from Postgres's statistics, which
                // a backend flushes at most once a second.
                let scans = "SELECT (coalesce(seq_scan, 0) + coalesce(idx_scan, 0))::int FROM pg_stat_user_tables WHERE schemaname = '\(schema.name)' AND relname = 'outbox'"
                try await Task.sleep(for: .seconds(2))
                let before = await KafkaTestKit.count(scans)
                try await Task.sleep(for: .seconds(4))
                let after = await KafkaTestKit.count(scans)
                // Polling every 200 ms, plus a sweep every 2 s: about 25 reads in 4 s.
                #expect(before >= 0, "no statistics for the outbox table")
                #expect(after - before >= 5, "the statistics must show the relay's polls (\(after - before) reads in 4 s)")
                #expect(after - before < 60, "the idle relay read the outbox \(after - before) times in 4 s")
                // …and a NOTIFY still wakes it after all those timed-out waits.
                let woken = ContinuousClock.now
                try await TestDatabase.withAdminClient { client in
                    try await client.withTransaction(logger: TestDatabase.logger) { connection in
                        try await outbox.enqueue(Self.record("second", topic: topic), on: connection)
                    }
                }
                try await KafkaTestKit.eventually("the relay sent the second row") { await Self.unsentCount(schema) == 0 }
                #expect(ContinuousClock.now - woken < .seconds(5))
                relay.terminate()
                _ = try await relay.waitForExit(within: .seconds(20))
                #expect(try await KafkaTestKit.readAll(topic, from: cluster).count == 2)
            }
        }
    }

    static func record(_ id: String, topic: String) -> KafkaRecord {
        KafkaRecord(topic: topic, key: Array("k".utf8), headers: [EventHeader(name: CloudEventHeaderName.id, text: id)], value: Array(id.utf8))
    }

    @Test("the inbox claims an event id once per consumer")
    func inboxClaimsOnce() async throws {
        try await TestDatabase.withSchema("inbox") { schema in
            try await Self.migrate(schema, [InboxMigration.migration(version: 1, schema: schema)])
            let inbox = Inbox(schema: schema, logger: TestDatabase.logger)
            let results = try await TestDatabase.withAdminClient { client in
                try await client.withConnection { connection in
                    [
                        try await inbox.claim(eventID: "e1", consumer: "mailer", on: connection),
                        try await inbox.claim(eventID: "e1", consumer: "mailer", on: connection),
                        try await inbox.claim(eventID: "e1", consumer: "webhooks", on: connection),
                        try await inbox.claim(eventID: "e2", consumer: "mailer", on: connection),
                    ]
                }
            }
            #expect(results == [true, false, true, true])
        }
    }

    @Test("an outbox record without ce_id is refused")
    func outboxNeedsEventID() async throws {
        try await TestDatabase.withSchema("outboxid") { schema in
            try await Self.migrate(schema, [OutboxMigration.migration(version: 1, schema: schema)])
            let outbox = Outbox(schema: schema, logger: TestDatabase.logger)
            await #expect(throws: OutboxError.self) {
                try await TestDatabase.withAdminClient { client in
                    try await client.withConnection { connection in
                        try await outbox.enqueue(KafkaRecord(topic: "t", key: nil, headers: [], value: [1]), on: connection)
                    }
                }
            }
        }
    }
}
