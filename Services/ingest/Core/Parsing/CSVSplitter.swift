/// Splits CSV (RFC 4180: `,` separated, `"` quoted with `""` inside quotes, rows ended by `\n` or
/// `\r\n`, newlines allowed inside quotes) into rows of fields, streaming. A UTF-8 byte order mark is
/// skipped; a row larger than `maxRecordBytes` or not valid UTF-8 becomes one malformed record;
/// blank lines are skipped. The header row comes out as the first row like any other.
public struct CSVSplitter: RecordSplitter {
    public let maxRecordBytes: Int

    private var fields: [String] = []
    private var field: [UInt8] = []
    private var rowBytes = 0
    private var inQuotes = false
    private var quoteJustClosed = false
    private var fieldWasQuoted = false
    private var overflowing = false
    private var badText = false
    private var position = 0

    public init(maxRecordBytes: Int) { self.maxRecordBytes = maxRecordBytes }

    public mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(UploadSyntaxError) -> [RecordChunk] {
        var rows: [RecordChunk] = []
        for byte in bytes {
            defer { position += 1 }
            if position < 3 && [0xEF, 0xBB, 0xBF][position] == byte && rowBytes == position { rowBytes += 1; continue }
            rowBytes += 1
            if rowBytes > maxRecordBytes { overflowing = true }
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    inQuotes = false
                    quoteJustClosed = true
                } else {
                    appendToField(byte)
                }
                continue
            }
            if quoteJustClosed && byte == UInt8(ascii: "\"") {
                // `""` inside a quoted field is one quote.
                appendToField(byte)
                inQuotes = true
                quoteJustClosed = false
                continue
            }
            quoteJustClosed = false
            switch byte {
            case UInt8(ascii: ","):
                endField()
            case 0x0A:
                if let row = endRow() { rows.append(row) }
            case 0x0D:
                continue  // part of \r\n; a lone \r inside a field is dropped
            case UInt8(ascii: "\""):
                if field.isEmpty && !fieldWasQuoted {
                    inQuotes = true
                    fieldWasQuoted = true
                } else {
                    badText = true  // a quote in the middle of an unquoted field
                }
            default:
                appendToField(byte)
            }
        }
        return rows
    }

    public mutating func finish() throws(UploadSyntaxError) -> [RecordChunk] {
        if inQuotes { throw UploadSyntaxError("invalid CSV: the body ended inside a quoted field") }
        return endRow().map { [$0] } ?? []
    }

    private mutating func appendToField(_ byte: UInt8) {
        guard !overflowing else { return }
        field.append(byte)
    }

    private mutating func endField() {
        if !overflowing {
            if let text = String(validating: field, as: UTF8.self) { fields.append(text) } else { badText = true; fields.append("") }
        }
        field.removeAll(keepingCapacity: true)
        fieldWasQuoted = false
    }

    private mutating func endRow() -> RecordChunk? {
        let blank = fields.isEmpty && field.isEmpty && !fieldWasQuoted
        endField()
        defer {
            fields.removeAll(keepingCapacity: true)
            rowBytes = 0
            overflowing = false
            badText = false
        }
        if overflowing { return .malformed("the row is longer than \(maxRecordBytes) bytes (INGEST_MAX_RECORD_BYTES)") }
        if blank { return nil }
        if badText { return .malformed("the row is not valid CSV text (invalid UTF-8, or a quote inside an unquoted field); send UTF-8 RFC 4180 CSV") }
        return .row(fields)
    }
}
