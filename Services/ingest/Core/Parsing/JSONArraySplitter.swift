/// Splits a JSON array body (`application/json`, `[{…}, {…}]`) into its elements without parsing
/// them: it tracks strings and nesting only, so a huge array streams through with memory bounded by
/// the largest element. An element larger than `maxRecordBytes` becomes one malformed record; a
/// broken array structure (no `[`, a missing comma, text after `]`) ends the upload with an error.
public struct JSONArraySplitter: RecordSplitter {
    public let maxRecordBytes: Int

    private enum Phase { case beforeArray, beforeElement, inElement, afterElement, afterArray }
    private var phase = Phase.beforeArray
    private var current: [UInt8] = []
    private var overflowing = false
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var offset = 0
    private var sawElement = false

    public init(maxRecordBytes: Int) { self.maxRecordBytes = maxRecordBytes }

    public mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(UploadSyntaxError) -> [RecordChunk] {
        var chunks: [RecordChunk] = []
        for byte in bytes {
            defer { offset += 1 }
            switch phase {
            case .beforeArray:
                if Self.isWhitespace(byte) || (offset < 3 && [0xEF, 0xBB, 0xBF].contains(byte)) { continue }
                guard byte == UInt8(ascii: "[") else {
                    throw UploadSyntaxError("invalid JSON at byte \(offset): the body must be a JSON array of records (or send NDJSON as application/x-ndjson)")
                }
                phase = .beforeElement
            case .beforeElement:
                if Self.isWhitespace(byte) { continue }
                if byte == UInt8(ascii: "]") {
                    guard !sawElement else { throw UploadSyntaxError("invalid JSON at byte \(offset): a comma before ']'") }
                    phase = .afterArray
                    continue
                }
                if byte == UInt8(ascii: ",") { throw UploadSyntaxError("invalid JSON at byte \(offset): an empty element") }
                phase = .inElement
                sawElement = true
                if let chunk = consumeElementByte(byte) { chunks.append(chunk) }
            case .inElement:
                if depth == 0 && !inString && (byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") || Self.isWhitespace(byte)) {
                    chunks.append(endElement())
                    try afterElement(byte)
                    continue
                }
                if let chunk = consumeElementByte(byte) { chunks.append(chunk) }
            case .afterElement:
                try afterElement(byte)
            case .afterArray:
                guard Self.isWhitespace(byte) else { throw UploadSyntaxError("invalid JSON at byte \(offset): text after the closing ']'") }
            }
        }
        return chunks
    }

    public mutating func finish() throws(UploadSyntaxError) -> [RecordChunk] {
        switch phase {
        case .afterArray: return []
        case .beforeArray: throw UploadSyntaxError("the body is empty; send a JSON array of records")
        default: throw UploadSyntaxError("invalid JSON at byte \(offset): the body ended before the closing ']'")
        }
    }

    /// Adds a byte of an element; returns the element when a closing bracket completed it.
    private mutating func consumeElementByte(_ byte: UInt8) -> RecordChunk? {
        append(byte)
        if inString {
            if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            return nil
        }
        switch byte {
        case UInt8(ascii: "\""): inString = true
        case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            depth -= 1
            if depth == 0 {
                phase = .afterElement
                return endElement()
            }
        default: break
        }
        return nil
    }

    private mutating func afterElement(_ byte: UInt8) throws(UploadSyntaxError) {
        phase = .afterElement
        if Self.isWhitespace(byte) { return }
        if byte == UInt8(ascii: ",") {
            phase = .beforeElement
            sawElement = true
            return
        }
        if byte == UInt8(ascii: "]") {
            phase = .afterArray
            return
        }
        throw UploadSyntaxError("invalid JSON at byte \(offset): expected ',' or ']' between records")
    }

    private mutating func append(_ byte: UInt8) {
        guard !overflowing else { return }
        if current.count >= maxRecordBytes {
            overflowing = true
            current.removeAll(keepingCapacity: false)
            return
        }
        current.append(byte)
    }

    private mutating func endElement() -> RecordChunk {
        defer {
            current.removeAll(keepingCapacity: true)
            overflowing = false
            depth = 0
            inString = false
            escaped = false
        }
        if overflowing { return .malformed("the record is larger than \(maxRecordBytes) bytes (INGEST_MAX_RECORD_BYTES)") }
        return .record(current)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }
}
