import CityEvents
import IngestCore

/// Builds the `city.ingest.rejected.v1` event of a refused record, carrying the record as it was sent
/// (at most ``RejectionEvent/maxRecordText`` characters of it) so that the publisher can fix it.
enum RejectionEvent {
    static let maxRecordText = 4_096

    static func make(_ error: RecordError, raw: RawRecord, request: UploadRequest) -> IngestRejected {
        IngestRejected(
            agencyId: request.credential.agencyId, datasetId: raw.datasetId ?? request.csvDataset?.id,
            sourceId: raw.sourceId ?? request.csvSourceId, batchId: request.batchId, index: error.index,
            field: error.field, reason: error.reason, record: raw.json
        )
    }
}

/// A refused record's content as far as it could be read.
struct RawRecord {
    var json: JSONValue
    var datasetId: String?
    var sourceId: String?

    static func from(bytes: [UInt8]) -> RawRecord {
        if bytes.count <= RejectionEvent.maxRecordText, let node = try? StrictJSONParser.parse(bytes) {
            return RawRecord(json: node.jsonValue, datasetId: node["datasetId"]?.stringValue, sourceId: node["sourceId"]?.stringValue)
        }
        let text = String(decoding: bytes.prefix(RejectionEvent.maxRecordText), as: UTF8.self)
        return RawRecord(json: .string(text), datasetId: nil, sourceId: nil)
    }

    static func from(row: [String], header: [String]?) -> RawRecord {
        guard let header, header.count == row.count else { return RawRecord(json: .array(row.map { .string(String($0.prefix(256))) })) }
        var object: [String: JSONValue] = [:]
        for (name, cell) in zip(header, row) { object[name] = .string(String(cell.prefix(256))) }
        return RawRecord(json: .object(object))
    }

    static func unreadable(_ reason: String) -> RawRecord { RawRecord(json: .null) }
}

extension JSONNode {
    var jsonValue: JSONValue {
        switch self {
        case .null: return .null
        case .bool(let value): return .bool(value)
        case .number(let value, let text): return value.isFinite ? .number(value) : .string(text)
        case .string(let value): return .string(value)
        case .array(let values): return .array(values.map(\.jsonValue))
        case .object(let members): return .object(Dictionary(members.map { ($0.key, $0.value.jsonValue) }, uniquingKeysWith: { first, _ in first }))
        }
    }

    var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }
}
