import CityEvents
import Foundation

/// An NDJSON file of structured CloudEvents (`application/cloudevents+json`, one event a line),
/// validated in full before anything is sent.
struct EventFile {
    /// A valid event ready to produce.
    struct Entry {
        var line: Int
        var key: [UInt8]?
        var headers: [EventHeader]
        var value: [UInt8]?
    }

    var entries: [Entry] = []
    /// One line per invalid event: `line N: reason`.
    var problems: [String] = []

    /// Reads `path` (`-` for standard input); exit 5 when it cannot be read.
    static func read(_ path: String) throws -> [UInt8] {
        if path == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ToolFailure(.notFound, "cannot read \(path): no such file or not readable")
        }
        return Array(data)
    }

    /// Validates every line for `topic`: a structured CloudEvent of a known type whose data matches
    /// its schema, and — for a registry topic — a type that topic carries.
    init(bytes: [UInt8], topic: String, registry: TopicRegistry) {
        let descriptor = registry.topic(named: topic)
        var number = 0
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            var text = Array(line)
            if text.last == 0x0D { text.removeLast() }
            if text.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            do throws(EventDecodingError) {
                let envelope = try CloudEvent(structuredJSON: text)
                let validated = try PayloadCatalog.validate(envelope)
                if let descriptor {
                    guard descriptor.eventTypes.contains(envelope.type) else {
                        problems.append("line \(number): \(topic) carries \(descriptor.eventTypes.joined(separator: ", ")), not \(envelope.type)")
                        continue
                    }
                    if descriptor.isDeadLetterTopic && validated.destinationTopic != topic {
                        problems.append("line \(number): this dead letter belongs on \(validated.destinationTopic), not \(topic)")
                        continue
                    }
                }
                entries.append(Entry(line: number, key: validated.key, headers: envelope.kafkaHeaders(), value: envelope.data))
            } catch {
                problems.append("line \(number): \(error.description)")
            }
        }
    }
}
