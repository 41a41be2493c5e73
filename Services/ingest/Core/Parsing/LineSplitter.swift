#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits NDJSON (`application/x-ndjson`) into lines: `\n` or `\r\n` ends a record, blank lines are
/// skipped, and a line longer than `maxRecordBytes` becomes one malformed record (its bytes are
/// dropped as they arrive, so a 10 MB line costs no memory).
public struct LineSplitter: RecordSplitter {
    public let maxRecordBytes: Int
    /// The start of a line whose end has not arrived yet.
    private var current: [UInt8] = []
    private var overflowing = false

    public init(maxRecordBytes: Int) { self.maxRecordBytes = maxRecordBytes }

    public mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(UploadSyntaxError) -> [RecordChunk] {
        var chunks: [RecordChunk] = []
        guard let base = bytes.baseAddress else { return chunks }
        var start = 0
        while start < bytes.count, let newline = memchr(base + start, 0x0A, bytes.count - start) {
            let end = base.distance(to: UnsafeRawPointer(newline))
            let chunk: RecordChunk?
            if current.isEmpty && !overflowing {
                // The whole line is in this buffer (the usual case): one copy, straight into its record.
                chunk = end - start > maxRecordBytes ? tooLong : record(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            } else {
                append(bytes, from: start, to: end)
                chunk = endLine()
            }
            if let chunk { chunks.append(chunk) }
            start = end + 1
        }
        append(bytes, from: start, to: bytes.count)
        return chunks
    }

    public mutating func finish() throws(UploadSyntaxError) -> [RecordChunk] {
        endLine().map { [$0] } ?? []
    }

    private mutating func append(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) {
        guard !overflowing, start < end else { return }
        if current.count + (end - start) > maxRecordBytes {
            overflowing = true
            current = []
            return
        }
        current.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
    }

    private mutating func endLine() -> RecordChunk? {
        defer { overflowing = false }
        if overflowing { return tooLong }
        let line = current
        current = []  // the line's storage goes with its record
        return line.withUnsafeBytes { record($0) }
    }

    /// The record of a line's bytes (without its `\n`); `nil` for a blank line.
    private func record(_ line: UnsafeRawBufferPointer) -> RecordChunk? {
        var line = line
        if line.last == 0x0D { line = UnsafeRawBufferPointer(rebasing: line.dropLast()) }
        guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return nil }
        return .record(Array(line))
    }

    private var tooLong: RecordChunk { .malformed("the line is longer than \(maxRecordBytes) bytes (INGEST_MAX_RECORD_BYTES)") }
}
