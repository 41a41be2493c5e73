import CityEvents
import CityRuntime
import Foundation
import Hummingbird

/// The formats an export is written in.
enum ExportFormat: String {
    case json, ndjson, csv

    var contentType: String {
        switch self {
        case .json: return "application/json"
        case .ndjson: return "application/x-ndjson"
        case .csv: return "text/csv; charset=utf-8"
        }
    }

    /// From `?format=`, else from `Accept`, else JSON.
    static func choose(parameter: String?, accept: String?) throws -> ExportFormat {
        if let parameter {
            guard let format = ExportFormat(rawValue: parameter.lowercased()) else {
                throw ExportRoutes.badQuery("'format' must be json, ndjson or csv")
            }
            return format
        }
        let accepted = accept?.lowercased() ?? ""
        if accepted.contains("text/csv") { return .csv }
        if accepted.contains("ndjson") { return .ndjson }
        return .json
    }
}

/// Renders archived observations as JSON (an array of observation records, the payload of
/// `vn.citydata.observation.recorded.v1`), NDJSON (one such record a line) or CSV (`observedAt,
/// sourceId, lat, lon`, then one column per dataset field, named by quantity, in canonical units),
/// buffering about 64 KiB per write.
struct ExportWriter {
    let format: ExportFormat
    let quantities: [String]
    private var buffer = ByteBuffer()
    private var count = 0
    static let flushBytes = 64 * 1024

    init(format: ExportFormat, dataset: DatasetSnapshot) {
        self.format = format
        var seen = Set<String>()
        self.quantities = dataset.fields.compactMap { field in
            let id = QuantityRegistry.quantity(field.quantity)?.id ?? field.quantity
            return seen.insert(id).inserted ? id : nil
        }
    }

    mutating func start() -> ByteBuffer {
        switch format {
        case .json: return ByteBuffer(string: "[")
        case .ndjson: return ByteBuffer()
        case .csv:
            return ByteBuffer(string: (["observedAt", "sourceId", "lat", "lon"] + quantities).map(Self.csvCell).joined(separator: ",") + "\r\n")
        }
    }

    /// Adds one observation; returns a chunk to write when the buffer is full.
    mutating func add(_ observation: ObservationRecorded) -> ByteBuffer? {
        switch format {
        case .json:
            if count > 0 { buffer.writeString(",") }
            buffer.writeBytes((try? observation.encodeJSON()) ?? Array("{}".utf8))
        case .ndjson:
            buffer.writeBytes((try? observation.encodeJSON()) ?? Array("{}".utf8))
            buffer.writeString("\n")
        case .csv:
            var cells = [observation.observedAt.rfc3339, observation.sourceId]
            cells.append(observation.location.map { Self.number($0.lat) } ?? "")
            cells.append(observation.location.map { Self.number($0.lon) } ?? "")
            for quantity in quantities { cells.append(observation.value(of: quantity).map(Self.number) ?? "") }
            buffer.writeString(cells.map(Self.csvCell).joined(separator: ","))
            buffer.writeString("\r\n")
        }
        count += 1
        guard buffer.readableBytes >= Self.flushBytes else { return nil }
        defer { buffer = ByteBuffer() }
        return buffer
    }

    mutating func end() -> ByteBuffer {
        var last = buffer
        buffer = ByteBuffer()
        if format == .json { last.writeString("]") }
        return last
    }

    /// The shortest text that reads back as the same Double, without a trailing `.0` on whole numbers.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// RFC 4180 quoting, and a leading `'` for cells a spreadsheet would run as a formula.
    static func csvCell(_ text: String) -> String {
        var cell = text
        if let first = cell.first, "=+@\t\r".contains(first) || (first == "-" && Double(cell) == nil) { cell = "'" + cell }
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
