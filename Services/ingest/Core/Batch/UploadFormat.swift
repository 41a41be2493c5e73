/// The body formats `POST /v1/observations` reads, chosen by `Content-Type`.
public enum UploadFormat: String, Sendable, Hashable, CaseIterable {
    /// `application/json`: an array of records.
    case json = "application/json"
    /// `application/x-ndjson`: one record per line.
    case ndjson = "application/x-ndjson"
    /// `text/csv`: a header row, then one record per row.
    case csv = "text/csv"

    /// The format of a `Content-Type` header value; `charset`, when given, must be UTF-8.
    public static func from(contentType: String?) -> Result<UploadFormat, UnsupportedUpload> {
        guard let contentType, !contentType.isEmpty else { return .failure(UnsupportedUpload("the request has no Content-Type")) }
        let parts = contentType.split(separator: ";").map { String($0).trimmingCharacters().lowercased() }
        let media = parts.first ?? ""
        let format: UploadFormat
        switch media {
        case "application/json": format = .json
        case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/jsonlines": format = .ndjson
        case "text/csv": format = .csv
        default: return .failure(UnsupportedUpload("Content-Type '\(media.prefix(64))' is not accepted"))
        }
        for parameter in parts.dropFirst() where parameter.hasPrefix("charset=") {
            let charset = Substring(parameter.dropFirst("charset=".count)).trimmingCharacters(in: "\"")
            guard charset == "utf-8" || charset == "utf8" else {
                return .failure(UnsupportedUpload("charset '\(charset.prefix(32))' is not accepted; send UTF-8"))
            }
        }
        return .success(format)
    }

    /// A splitter for this format.
    public func splitter(maxRecordBytes: Int) -> any RecordSplitter {
        switch self {
        case .json: return JSONArraySplitter(maxRecordBytes: maxRecordBytes)
        case .ndjson: return LineSplitter(maxRecordBytes: maxRecordBytes)
        case .csv: return CSVSplitter(maxRecordBytes: maxRecordBytes)
        }
    }
}

/// A body ingest does not read (415).
public struct UnsupportedUpload: Error, Sendable, Hashable, CustomStringConvertible {
    public let reason: String
    init(_ reason: String) { self.reason = reason }
    public var description: String { "\(reason); send application/json (an array of records), application/x-ndjson or text/csv, in UTF-8" }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        var text = self
        while text.first == set { text.removeFirst() }
        while text.last == set { text.removeLast() }
        return String(text)
    }
}
