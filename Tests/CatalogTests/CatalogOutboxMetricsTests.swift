import CityTestSupport
import Foundation
import PostgresNIO
import Testing

/// The outbox relay's metrics as Prometheus scrapes them from a catalog process: the age of the
/// oldest unsent row (the series behind the `CityDataOutboxBehind` alert) and the rows relayed.
@Suite("Outbox metrics")
struct CatalogOutboxMetricsTests {
    @Test("A row Kafka refuses shows its age in outbox_oldest_unsent_seconds; once it is gone the age is 0 and the outbox drains")
    func stuckRowIsVisible() async throws {
        try await CatalogProcess.with { catalog in
            let schema = catalog.service.role.schema
            let labels = #"{schema="\#(schema.name)"}"#
            _ = try await catalog.post("/v1/agencies", ["id": "\(CatalogProcess.uniquePrefix())-a", "name": "Sở A"], headers: catalog.admin)
            let relayed = try await Self.metric("outbox_relayed_total" + labels, of: catalog) { $0 >= 1 }
            #expect(relayed >= 1)
            #expect(try await Self.metric("outbox_oldest_unsent_seconds" + labels, of: catalog) { $0 == 0 } == 0)

            // 2 MB is above the producer's message.max.bytes: every attempt fails, the row stays unsent.
            try await TestDatabase.withAdminClient { client in
                let value = ByteBuffer(repeating: 0x7B, count: 2_000_000)
                try await client.query("""
                    INSERT INTO \(unescaped: schema.quoted).outbox (ce_id, topic, key, value, created_at)
                    VALUES ('stuck', 'city.agencies.v1', '\\x737475636b'::bytea, \(value), now() - interval '1 hour')
                    """)
            }
            let age = try await Self.metric("outbox_oldest_unsent_seconds" + labels, of: catalog) { $0 >= 3_600 }
            #expect(age >= 3_600 && age < 3_700, "the stuck row was written an hour ago")

            // Behind the stuck row nothing goes out; removing it lets the relay drain.
            let before = try await Self.metric("outbox_relayed_total" + labels, of: catalog) { _ in true }
            _ = try await catalog.post("/v1/agencies", ["id": "\(CatalogProcess.uniquePrefix())-b", "name": "Sở B"], headers: catalog.admin)
            try await TestDatabase.withAdminClient { client in
                try await client.query("DELETE FROM \(unescaped: schema.quoted).outbox WHERE ce_id = 'stuck'")
            }
            #expect(try await Self.metric("outbox_oldest_unsent_seconds" + labels, of: catalog) { $0 == 0 } == 0)
            #expect(try await Self.metric("outbox_relayed_total" + labels, of: catalog) { $0 > before } > before)
        }
    }

    /// Polls `/metrics` until the sample `series` (name and labels as printed) satisfies `accept`
    /// (30 s at most), and returns its value.
    static func metric(_ series: String, of catalog: CatalogProcess, accept: (Double) -> Bool) async throws -> Double {
        let deadline = ContinuousClock.now + .seconds(30)
        var last: Double?
        while true {
            let body = try await catalog.service.http.get("/metrics").body
            last = body.split(separator: "\n").first { $0.hasPrefix(series + " ") }
                .flatMap { Double($0.dropFirst(series.count + 1)) }
            if let value = last, accept(value) { return value }
            if ContinuousClock.now > deadline {
                Issue.record("\(series) is \(last.map { "\($0)" } ?? "absent") after 30 s")
                return last ?? .nan
            }
            try await Task.sleep(for: .milliseconds(250))
        }
    }
}
