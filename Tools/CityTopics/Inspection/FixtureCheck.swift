import CityEvents
import Foundation

/// The registry's schema compatibility against the golden fixtures (Tests/CityEventsTests/Fixtures),
/// checked with this build's codec: every event type has a fixture and a contract; each fixture
/// decodes, sits on its registry topic and re-encodes to the same data; every contracted field keeps
/// its JSON type; every optional field can still be left out; tombstones are recognised.
struct FixtureCheck {
    /// The outcome for one fixture file (or a missing one).
    struct Outcome: Encodable {
        var fixture: String
        /// `null` for tombstones and fixtures whose envelope does not decode.
        @Nullable var eventType: String? = nil
        var problems: [String] { didSet { ok = problems.isEmpty } }
        var ok: Bool

        init(fixture: String, eventType: String?, problems: [String]) {
            self.fixture = fixture
            self.eventType = eventType
            self.problems = problems
            ok = problems.isEmpty
        }
    }

    /// A fixture file: a Kafka record with its data as JSON.
    struct Fixture: Decodable {
        var topic: String
        var key: String?
        var headers: [String: String]
        var data: JSONValue?
    }

    /// A contract file: every field path with its JSON type and whether it is required.
    struct Contract: Decodable {
        struct Field: Decodable {
            var type: String
            var required: Bool
        }

        var eventType: String
        var fields: [String: Field]
    }

    let directory: URL
    let registry = TopicRegistry()

    /// Checks every fixture; exit 5 when the directory is not there.
    func run() throws -> [Outcome] {
        let files = FileManager.default
        let events = directory.appendingPathComponent("events")
        guard let names = try? files.contentsOfDirectory(atPath: events.path) else {
            throw ToolFailure(.notFound, "no fixtures at \(events.path) (pass --fixtures DIR or set CITYDATA_ROOT)")
        }
        var outcomes: [Outcome] = []
        var covered: Set<String> = []
        for name in names.filter({ $0.hasSuffix(".json") }).sorted() {
            var outcome = Outcome(fixture: "events/" + name, eventType: nil, problems: [])
            do {
                let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: events.appendingPathComponent(name)))
                if fixture.data == nil {
                    outcome.problems = checkTombstone(fixture)
                } else {
                    let (type, problems) = check(fixture)
                    outcome.eventType = type
                    outcome.problems = problems
                    if let type { covered.insert(type) }
                }
            } catch {
                outcome.problems = ["unreadable fixture: \(error)"]
            }
            outcomes.append(outcome)
        }
        for type in EventType.all where !covered.contains(type) {
            outcomes.append(Outcome(fixture: "(none)", eventType: type, problems: ["no golden fixture for \(type)"]))
        }
        return outcomes
    }

    private func check(_ fixture: Fixture) -> (String?, [String]) {
        guard let data = fixture.data else { return (nil, []) }
        let headers = fixture.headers.sorted { $0.key < $1.key }.map { EventHeader(name: $0.key, text: $0.value) }
        let value: [UInt8]
        let envelope: CloudEvent
        do {
            value = try PayloadJSON.encode(data)
            envelope = try CloudEvent(kafkaHeaders: headers, value: value)
        } catch {
            return (nil, ["the envelope does not decode: \(error)"])
        }
        var problems: [String] = []
        let type = envelope.type
        if type == EventType.deadLetter {
            if registry.topic(named: fixture.topic)?.isDeadLetterTopic != true {
                problems.append("a dead letter on \(fixture.topic), which is not a registry dead-letter topic")
            }
        } else if let home = registry.topic(carrying: type) {
            if home.name != fixture.topic { problems.append("on \(fixture.topic), but the registry puts \(type) on \(home.name)") }
        } else {
            problems.append("the registry has no topic for \(type)")
        }
        do {
            _ = try PayloadCatalog.validate(envelope)
            let reencoded = try PayloadJSON.decode(JSONValue.self, from: try PayloadCatalog.reencode(envelope))
            if reencoded != data {
                problems.append("re-encoding with the current types changes the data (a field was dropped, renamed or rewritten)")
            }
        } catch {
            problems.append("does not decode with the current types: \(error)")
            return (type, problems)
        }
        problems += checkContract(type: type, data: data, envelope: envelope)
        return (type, problems)
    }

    private func checkContract(type: String, data: JSONValue, envelope: CloudEvent) -> [String] {
        let url = directory.appendingPathComponent("contracts/\(type).json")
        guard let bytes = try? Data(contentsOf: url), let contract = try? JSONDecoder().decode(Contract.self, from: bytes) else {
            return ["no readable contract file contracts/\(type).json"]
        }
        var problems: [String] = []
        for (path, field) in contract.fields.sorted(by: { $0.key < $1.key }) {
            let found = JSONPath.values(at: path, in: data)
            if field.type != "any" {
                let expected = field.type.hasPrefix("map<") ? "object" : field.type
                for value in found where JSONPath.typeName(value) != expected {
                    problems.append("field '\(path)' is \(JSONPath.typeName(value)) in the fixture, the contract says \(field.type)")
                }
            }
            guard !field.required, !path.hasSuffix("[]"), !found.isEmpty else { continue }
            var reduced = envelope
            reduced.data = try? PayloadJSON.encode(JSONPath.removing(path, from: data))
            do {
                _ = try PayloadCatalog.validate(reduced)
            } catch {
                problems.append("optional field '\(path)' became required: without it the event no longer decodes (\(error))")
            }
        }
        return problems
    }

    private func checkTombstone(_ fixture: Fixture) -> [String] {
        let record = KafkaRecord(topic: fixture.topic, key: fixture.key.map { Array($0.utf8) }, headers: [], value: nil)
        guard Tombstone(record: record) != nil else { return ["a tombstone the codec does not recognise"] }
        guard registry.topic(named: fixture.topic)?.cleanupPolicy == .compact else {
            return ["a tombstone on \(fixture.topic), which is not a compacted registry topic"]
        }
        return []
    }
}
