import CityEvents
import IndicatorsCore

/// Deterministic CloudEvent ids for what the indicators service publishes: the same value version,
/// alert or dead letter always gets the same `ce_id`, so a consumer can drop duplicates by id and
/// two runs over the same input can be compared event by event. Formatted as a UUID (version 8,
/// RFC 9562 "custom") from the SHA-256 of a descriptive name.
enum EventIdentifiers {
    static func value(_ event: IndicatorComputed) -> String {
        let identity = ValueIdentity(indicatorId: event.indicatorId, source: event.source, periodStart: event.periodStart)
        return uuid("indicator-value|\(identity.valueId)|\(event.version)")
    }

    static func alert(_ alert: IndicatorAlert) -> String {
        uuid("indicator-alert|\(alert.indicatorId)|\(alert.source)|\(alert.periodStart.utc.rfc3339)|\(alert.kind.rawValue)|\(alert.category)")
    }

    static func deadLetter(topic: String, partition: Int32, offset: Int64, group: String) -> String {
        uuid("dead-letter|\(group)|\(topic)|\(partition)|\(offset)")
    }

    static func uuid(_ name: String) -> String {
        var bytes = Array(SHA256.digest(Array(name.utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
        let characters = Array(hex)
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }
        return groups.joined(separator: "-")
    }
}
