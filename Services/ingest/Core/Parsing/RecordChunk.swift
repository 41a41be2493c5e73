/// One piece an upload splitter found in the byte stream: a record's raw bytes, or a record that
/// cannot be read at all (too large, broken) with the reason. Records are numbered from 0 in the
/// order they appear, malformed ones included, so that `errors[].index` points at the right one.
public enum RecordChunk: Sendable, Equatable {
    /// The bytes of one record (a JSON value, an NDJSON line, or a CSV row's fields).
    case record([UInt8])
    /// A CSV row already split into fields.
    case row([String])
    /// A record that could not be read, with the reason.
    case malformed(String)
}

/// The upload as a whole cannot be read any further (e.g. a JSON array missing a comma): the request
/// is refused with 400 and this reason, and nothing of it is published.
public struct UploadSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong, with the byte offset into the body.
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Splits an upload's bytes, arriving in pieces of any size, into records — so that a body of any
/// length is read with memory bounded by the largest record.
public protocol RecordSplitter {
    /// Feeds the next bytes of the body; returns the records completed by them.
    mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(UploadSyntaxError) -> [RecordChunk]
    /// The body ended; returns the last record, or throws when the body stopped mid-structure.
    mutating func finish() throws(UploadSyntaxError) -> [RecordChunk]
}

extension RecordSplitter {
    /// Feeds an array of bytes (tests, small bodies).
    public mutating func feed(_ bytes: [UInt8]) throws(UploadSyntaxError) -> [RecordChunk] {
        var result: Result<[RecordChunk], UploadSyntaxError> = .success([])
        bytes.withUnsafeBytes { buffer in
            do throws(UploadSyntaxError) { result = .success(try feed(buffer)) } catch { result = .failure(error) }
        }
        return try result.get()
    }
}
