import IngestCore
import Testing

@Suite("Ingest parsing: strict JSON")
struct StrictJSONTests {
    @Test("nasty JSON is refused with the reason", arguments: [
        (#"{"a": 1, "a": 2}"#, "duplicate key 'a'"),
        (#"{"a": NaN}"#, "NaN and Infinity are not JSON"),
        (#"{"a": Infinity}"#, "NaN and Infinity are not JSON"),
        (#"{"a": 01}"#, "leading zeros"),
        (#"{"a": 1,}"#, "expected a member name"),
        (#"{"a": "x"} trailing"#, "unexpected text after the JSON value"),
        (#"{"a": "\x"}"#, "invalid escape"),
        ("{\"a\": \"tab\there\"}", "control character"),
        (#"{"a": "\ud800"}"#, "high surrogate"),
        (String(repeating: "[", count: 40) + String(repeating: "]", count: 40), "nesting deeper than 32"),
    ])
    func refused(text: String, expected: String) {
        #expect(throws: JSONSyntaxError.self) { try StrictJSONParser.parse(Array(text.utf8)) }
        do {
            _ = try StrictJSONParser.parse(Array(text.utf8))
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    @Test("invalid UTF-8 inside a string is refused")
    func invalidUTF8() {
        let bytes: [UInt8] = Array(#"{"a": ""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect(throws: JSONSyntaxError.self) { try StrictJSONParser.parse(bytes) }
    }

    @Test("1e999 parses as infinity (so validation says 'not finite'); escapes and non-ASCII decode")
    func numbersAndStrings() throws {
        let node = try StrictJSONParser.parse(Array(#"{"v": 1e999, "s": "Hà Nội \u00e9 \ud83d\ude00", "n": -0.5e-3}"#.utf8))
        guard case .number(let value, _)? = node["v"] else { Issue.record("not a number"); return }
        #expect(value == .infinity)
        #expect(node["s"] == .string("Hà Nội é 😀"))
        guard case .number(let small, _)? = node["n"] else { Issue.record("not a number"); return }
        #expect(small == -0.0005)
    }
}

@Suite("Ingest parsing: streaming splitters")
struct SplitterTests {
    private func split(_ splitter: inout some RecordSplitter, _ text: String, pieceSize: Int) throws -> [RecordChunk] {
        let bytes = Array(text.utf8)
        var chunks: [RecordChunk] = []
        var start = 0
        while start < bytes.count {
            let end = min(start + pieceSize, bytes.count)
            chunks += try splitter.feed(Array(bytes[start..<end]))
            start = end
        }
        return chunks + (try splitter.finish())
    }

    @Test("a JSON array splits into the same elements whatever the piece size", arguments: [1, 3, 7, 1024])
    func jsonArray(pieceSize: Int) throws {
        let text = #" [ {"a": "x,]}"}, {"b": [1, {"c": "\""}]} ,{"d":null} ] "#
        var splitter = JSONArraySplitter(maxRecordBytes: 1_000)
        let chunks = try split(&splitter, text, pieceSize: pieceSize)
        #expect(chunks == [
            .record(Array(#"{"a": "x,]}"}"#.utf8)), .record(Array(#"{"b": [1, {"c": "\""}]}"#.utf8)), .record(Array(#"{"d":null}"#.utf8)),
        ])
    }

    @Test("a broken JSON array ends the upload", arguments: [#"{"a": 1}"#, #"[{"a": 1} {"b": 2}]"#, #"[{"a": 1},]"#, #"[{"a": 1}] x"#, #"[{"a": 1}"#, ""])
    func brokenArray(text: String) {
        var splitter = JSONArraySplitter(maxRecordBytes: 1_000)
        #expect(throws: UploadSyntaxError.self) { try split(&splitter, text, pieceSize: 5) }
    }

    @Test("an element over the record limit becomes one malformed record and the next ones still come")
    func oversizedElement() throws {
        let big = "{\"a\": \"" + String(repeating: "x", count: 5_000) + "\"}"
        var splitter = JSONArraySplitter(maxRecordBytes: 1_000)
        let chunks = try split(&splitter, "[\(big), {\"b\": 1}]", pieceSize: 512)
        #expect(chunks.count == 2)
        guard case .malformed(let reason) = chunks[0] else { Issue.record("expected malformed"); return }
        #expect(reason.contains("larger than 1000 bytes"))
        #expect(chunks[1] == .record(Array(#"{"b": 1}"#.utf8)))
    }

    @Test("NDJSON: CRLF, blank lines skipped, an over-long line is one malformed record")
    func ndjson() throws {
        let long = String(repeating: "y", count: 3_000)
        var splitter = LineSplitter(maxRecordBytes: 1_000)
        let chunks = try split(&splitter, "{\"a\":1}\r\n\n  \n\(long)\n{\"b\":2}", pieceSize: 100)
        #expect(chunks.count == 3)
        #expect(chunks[0] == .record(Array("{\"a\":1}".utf8)))
        guard case .malformed = chunks[1] else { Issue.record("expected malformed"); return }
        #expect(chunks[2] == .record(Array("{\"b\":2}".utf8)))
    }

    /// Lines within one piece take the direct path, lines across pieces the buffered one: both must
    /// give what a plain split by `\n` gives (a `\r` before it dropped, blank lines skipped, lines over
    /// the limit — `\r` included — malformed).
    @Test("NDJSON lines are the same however the body is cut", arguments: [1, 2, 3, 7, 10, 11, 64, 4096])
    func ndjsonPieces(pieceSize: Int) throws {
        let lines = ["{\"a\":1}\r", "", "  \t", "{\"b\":\"x y\"}", String(repeating: "z", count: 10), String(repeating: "z", count: 11),
                     String(repeating: "w", count: 9) + "\r", "\r", "{\"c\":3}", String(repeating: "q", count: 25), "{\"last\":true}"]
        let text = lines.joined(separator: "\n")
        var expected: [RecordChunk] = []
        for line in lines {
            let bytes = Array(line.utf8)
            if bytes.count > 10 { expected.append(.malformed("the line is longer than 10 bytes (INGEST_MAX_RECORD_BYTES)")); continue }
            let record = bytes.last == 0x0D ? Array(bytes.dropLast()) : bytes
            if record.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            expected.append(.record(record))
        }
        var splitter = LineSplitter(maxRecordBytes: 10)
        #expect(try split(&splitter, text, pieceSize: pieceSize) == expected)
    }

    @Test("CSV: quotes, doubled quotes, newlines inside quotes, CRLF, BOM", arguments: [1, 2, 5, 4096])
    func csv(pieceSize: Int) throws {
        let text = "\u{FEFF}a,b,c\r\n1,\"x, \"\"y\"\"\",\"line\nbreak\"\r\n\n2,,\r\n"
        var splitter = CSVSplitter(maxRecordBytes: 1_000)
        let chunks = try split(&splitter, text, pieceSize: pieceSize)
        #expect(chunks == [.row(["a", "b", "c"]), .row(["1", "x, \"y\"", "line\nbreak"]), .row(["2", "", ""])])
    }

    @Test("CSV: invalid UTF-8 and a stray quote make a malformed row; an unterminated quote ends the upload")
    func badCSV() throws {
        var splitter = CSVSplitter(maxRecordBytes: 1_000)
        var chunks = try splitter.feed([0x61, 0x2C, 0xFF, 0x0A] + Array("a\"b,c\nok,1\n".utf8))
        chunks += try splitter.finish()
        #expect(chunks.count == 3)
        guard case .malformed = chunks[0], case .malformed = chunks[1] else { Issue.record("expected malformed rows: \(chunks)"); return }
        #expect(chunks[2] == .row(["ok", "1"]))
        var open = CSVSplitter(maxRecordBytes: 1_000)
        _ = try open.feed(Array("a,\"b\n".utf8))
        #expect(throws: UploadSyntaxError.self) { try open.finish() }
    }

    @Test("Content-Type picks the format; other charsets and media types are refused")
    func formats() throws {
        #expect(try UploadFormat.from(contentType: "application/json; charset=utf-8").get() == .json)
        #expect(try UploadFormat.from(contentType: "application/x-ndjson").get() == .ndjson)
        #expect(try UploadFormat.from(contentType: "text/csv;charset=\"UTF-8\"").get() == .csv)
        #expect(throws: UnsupportedUpload.self) { try UploadFormat.from(contentType: "text/csv; charset=windows-1258").get() }
        #expect(throws: UnsupportedUpload.self) { try UploadFormat.from(contentType: "application/xml").get() }
        #expect(throws: UnsupportedUpload.self) { try UploadFormat.from(contentType: nil).get() }
    }

    @Test("token bucket: burst, then one per interval, with the wait to announce")
    func tokenBucket() {
        var bucket = TokenBucket(ratePerSecond: 2, burst: 2, now: 0)
        #expect(bucket.take(now: 0) == nil)
        #expect(bucket.take(now: 0) == nil)
        #expect(bucket.take(now: 0) == 1)
        #expect(bucket.take(now: 0.5) == nil)
        #expect(bucket.take(now: 0.5) != nil)
    }
}
