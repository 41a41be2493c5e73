import CityTestSupport
import CityKafka
import CityRuntime
import Foundation
import PostgresNIO
import Testing

/// The exactly-once Postgres sink (`runtime-probe sink`) against a real Postgres and a private dev
/// cluster: killed or stopped mid-stream and restarted, it leaves exactly one row per record.
@Suite("Kafka exactly-once sink", .serialized)
struct KafkaExactlyOnceSinkTests {
    struct SinkCounts: Equatable, CustomStringConvertible {
        var rows: Int
        var distinctPositions: Int
        var distinctValues: Int
        var description: String { "rows=\(rows) distinct positions=\(distinctPositions) distinct values=\(distinctValues)" }
    }

    static func counts(_ schema: SQLIdentifier) async throws -> SinkCounts {
        try await TestDatabase.withAdminClient { client in
            let rows = try await client.query(PostgresQuery(unsafeSQL: """
                SELECT count(*), count(DISTINCT (partition, "offset")), count(DISTINCT value) FROM \(schema.quoted).sink_rows
                """))
            for try await (total, positions, values) in rows.decode((Int, Int, Int).self) {
                return SinkCounts(rows: total, distinctPositions: positions, distinctValues: values)
            }
            return SinkCounts(rows: 0, distinctPositions: 0, distinctValues: 0)
        }
    }

    static func rowCount(_ schema: SQLIdentifier) async -> Int {
        await KafkaTestKit.count("SELECT count(*) FROM \(schema.quoted).sink_rows")
    }

    /// Restarts the sink, waits until it caught up with `total` records, checks that there is exactly
    /// one row per record, and stops it with SIGTERM.
    static func restartAndVerify(_ arguments: [String], schema: SQLIdentifier, total: Int, cluster: DevCluster) async throws {
        let sink = try KafkaTestKit.probe(arguments, cluster: cluster)
        // Correctness, not speed, is under test: a loaded CI machine may take minutes.
        try await KafkaTestKit.eventually(within: .seconds(240), "the restarted sink caught up") { await rowCount(schema) >= total }
        try await Task.sleep(for: .seconds(1))
        #expect(try await counts(schema) == SinkCounts(rows: total, distinctPositions: total, distinctValues: total))
        sink.terminate()
        #expect(try await sink.waitForExit(within: .seconds(20)) == 0, "stderr: \(sink.standardError.suffix(2000))")
    }

    static func records(_ topic: String, _ range: Range<Int>) -> [KafkaProducerRecord] {
        range.map { KafkaProducerRecord(topic: topic, key: Array("k\($0 % 17)".utf8), value: Array("value-\($0)".utf8)) }
    }

    @Test("killed with SIGKILL mid-stream and restarted, the sink leaves exactly the expected rows")
    func killMidStream() async throws {
        _ = try TestDatabase.adminURL()
        let topic = KafkaTestKit.uniqueName("sink")
        let total = 3_000
        try await TestDatabase.withSchema("sink") { schema in
            try await DevCluster.with(topics: [topic: 3]) { cluster in
                try await KafkaTestKit.produce(Self.records(topic, 0..<total), to: cluster)
                let arguments = ["sink", "--topic", topic, "--group", "sink-group", "--schema", schema.name, "--max-batch", "40"]
                let first = try KafkaTestKit.probe(arguments + ["--delay-ms", "40"], cluster: cluster)
                try await KafkaTestKit.eventually("the first sink wrote 600 rows") { await Self.rowCount(schema) >= 600 }
                first.signal(SIGKILL)
                _ = try await first.waitForExit(within: .seconds(10))
                let atKill = try await Self.counts(schema)
                #expect(atKill.rows < total, "the kill came too late to test anything: \(atKill)")
                #expect(atKill.rows == atKill.distinctPositions)
                try await Self.restartAndVerify(arguments, schema: schema, total: total, cluster: cluster)
            }
        }
    }

    @Test("SIGTERM under load: the sink exits 0 and, restarted, nothing is lost or doubled")
    func terminateUnderLoad() async throws {
        _ = try TestDatabase.adminURL()
        let topic = KafkaTestKit.uniqueName("sinkterm")
        let total = 2_000
        try await TestDatabase.withSchema("sinkterm") { schema in
            try await DevCluster.with(topics: [topic: 3]) { cluster in
                try await KafkaTestKit.produce(Self.records(topic, 0..<1_000), to: cluster)
                let arguments = ["sink", "--topic", topic, "--group", "sink-group", "--schema", schema.name, "--max-batch", "40"]
                let first = try KafkaTestKit.probe(arguments + ["--delay-ms", "30"], cluster: cluster)
                try await KafkaTestKit.eventually("the first sink wrote 300 rows") { await Self.rowCount(schema) >= 300 }
                // More records arrive while the sink is stopping.
                async let more: Void = KafkaTestKit.produce(Self.records(topic, 1_000..<total), to: cluster)
                first.terminate()
                let status = try await first.waitForExit(within: .seconds(20))
                try await more
                #expect(status == 0, "stderr: \(first.standardError.suffix(2000))")
                #expect(first.outputLines.contains("sink stopped"))
                try await Self.restartAndVerify(arguments, schema: schema, total: total, cluster: cluster)
            }
        }
    }
}
