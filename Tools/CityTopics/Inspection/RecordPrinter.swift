import CityEvents

/// Writes inspected records: a readable block per record, or one JSON object per line.
struct RecordPrinter: Sendable {
    var format: TailFormat

    func print(_ record: InspectedRecord) throws {
        switch format {
        case .json: try Console.json(record, pretty: false)
        case .pretty: Console.out(Self.pretty(record))
        }
    }

    /// The pretty form: position, time and key; headers; then the event or the raw value and the error.
    static func pretty(_ record: InspectedRecord) -> String {
        var lines = ["\(record.topic) partition \(record.partition) offset \(record.offset)  \(record.timestamp ?? "no timestamp")  key=\(record.key?.display ?? "(none)")"]
        for header in record.headers {
            lines.append("  \(header.name): \(header.value?.display ?? "(no value)")")
        }
        if record.tombstone {
            lines.append("  tombstone (null value): deletes key \(record.key?.display ?? "(none)")")
        } else if let event = record.event {
            var summary = "  \(event.type)  id=\(event.id)  source=\(event.source)  time=\(event.time)"
            if let subject = event.subject { summary += "  subject=\(subject)" }
            lines.append(summary)
            lines.append("  " + (event.data.map(JSONText.compact) ?? "(no data)"))
        } else {
            lines.append("  ! does not decode: \(record.error ?? "unknown reason")")
            lines.append("  raw: \(record.raw?.display ?? "")")
        }
        return lines.joined(separator: "\n")
    }
}
