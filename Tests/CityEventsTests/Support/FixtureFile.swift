import CityEvents
import Foundation

/// The on-disk form of a golden fixture: topic, key, headers and data of one Kafka record.
struct FixtureFile: Codable, Equatable, Sendable {
    var topic: String
    var key: String?
    var headers: [String: String]
    var data: JSONValue?

    init(record: KafkaRecord) throws {
        topic = record.topic
        key = record.keyText
        var headerMap: [String: String] = [:]
        for header in record.headers { headerMap[header.name] = header.text }
        headers = headerMap
        data = try record.value.map { try PayloadJSON.decode(JSONValue.self, from: $0) }
    }

    /// The Kafka record this fixture describes (data re-serialised compactly).
    func record() throws -> KafkaRecord {
        KafkaRecord(
            topic: topic,
            key: key.map { Array($0.utf8) },
            headers: headers.sorted { $0.key < $1.key }.map { EventHeader(name: $0.key, text: $0.value) },
            value: try data.map { try PayloadJSON.encode($0) }
        )
    }

    static func load(_ name: String) throws -> FixtureFile {
        let data = try RepoPaths.fixture("events/\(name).json")
        return try JSONDecoder().decode(FixtureFile.self, from: data)
    }

    static func prettyJSON<Value: Encodable>(_ value: Value) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(0x0A)
        return data
    }
}
