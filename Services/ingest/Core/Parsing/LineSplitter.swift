/// Splits NDJSON (`application/x-ndjson`) into lines: `\n` or `\r\n` ends a record, blank lines are
/// skipped, and a line longer than `maxRecordBytes` becomes one malformed record (its bytes are
/// dropped as they arrive, so a 10 MB line costs no memory).
public struct LineSplitter: RecordSplitter {
    public let maxRecordBytes: Int
    private var current: [UInt8] = []
    private var overflowing = false

    public init(maxRecordBytes: Int) { self.maxRecordBytes = maxRecordBytes }

    public mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(UploadSyntaxError) -> [RecordChunk] {
        var chunks: [RecordChunk] = []
        var start = 0
        for index in 0..<bytes.count where bytes[index] == 0x0A {
            append(bytes, from: start, to: index)
            if let chunk = endLine() { chunks.append(chunk) }
            start = index + 1
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
            current.removeAll(keepingCapacity: false)
            return
        }
        current.append(contentsOf: bytes[start..<end])
    }

    private mutating func endLine() -> RecordChunk? {
        defer {
            current.removeAll(keepingCapacity: true)
            overflowing = false
        }
        if overflowing { return .malformed("the line is longer than \(maxRecordBytes) bytes (INGEST_MAX_RECORD_BYTES)") }
        if current.last == 0x0D { current.removeLast() }
        guard current.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return nil }
        return .record(current)
    }
}
