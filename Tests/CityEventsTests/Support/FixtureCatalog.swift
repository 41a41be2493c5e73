import CityEvents
import Foundation

/// One golden fixture: a file name and how to produce / decode / re-encode its event type.
struct FixtureCase: Sendable {
    let name: String
    let eventType: String
    /// The record the current code produces for the sample.
    let record: @Sendable () throws -> KafkaRecord
    /// Decodes a value with the reference (`Codable`) decoder and re-encodes it with the
    /// production encoder.
    let reencode: @Sendable ([UInt8]) throws -> [UInt8]
    /// Whether the value decodes with the reference decoder.
    let decodes: @Sendable ([UInt8]) -> Bool

    static func of<P: EventPayload>(_ name: String, _ payload: P, source: String) -> FixtureCase {
        FixtureCase(
            name: name,
            eventType: P.eventType,
            record: {
                try EventCodec.encode(
                    payload, id: Samples.eventID, source: source, time: Samples.eventTime,
                    traceparent: Samples.traceparent
                )
            },
            reencode: { bytes in try P.decodeJSON(bytes).encodeJSON() },
            decodes: { bytes in (try? PayloadJSON.decode(P.self, from: bytes)) != nil }
        )
    }
}

/// Every event type with its fixture.
enum FixtureCatalog {
    static let cases: [FixtureCase] = [
        .of("observation-recorded", Samples.observation, source: "/city/ingest"),
        .of("ingest-rejected", Samples.rejected, source: "/city/ingest"),
        .of("agency-updated", Samples.agency, source: "/city/catalog"),
        .of("dataset-updated", Samples.dataset, source: "/city/catalog"),
        .of("grant-updated", Samples.grant, source: "/city/catalog"),
        .of("indicator-computed", Samples.indicator, source: "/city/indicators"),
        .of("indicator-alert", Samples.alert, source: "/city/indicators"),
        .of("delivery-outcome", Samples.delivery, source: "/city/notifications"),
        .of("dead-letter", Samples.deadLetter, source: "/city/indicators"),
    ]

    /// Tombstone fixtures, one per compacted topic.
    static let tombstones: [(name: String, record: KafkaRecord)] = [
        ("agency-tombstone", EventCodec.tombstone(for: AgencySnapshot.self, entityId: "so-tnmt-hanoi")),
        ("dataset-tombstone", EventCodec.tombstone(for: DatasetSnapshot.self, entityId: "hanoi-air-quality")),
        ("grant-tombstone", EventCodec.tombstone(for: GrantSnapshot.self, entityId: "grant-0001")),
    ]
}
