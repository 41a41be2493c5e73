import CityRuntime
import Foundation
import Logging
import Synchronization
import Testing

@Suite("JSON log lines")
struct JSONLogHandlerTests {
    final class Lines: Sendable {
        let storage = Mutex<[String]>([])
        func append(_ line: String) { storage.withLock { $0.append(line) } }
        var all: [String] { storage.withLock { $0 } }
    }

    @Test func lineShape() throws {
        let lines = Lines()
        var logger = Logger(label: "citydata.test") { label in
            JSONLogHandler(label: label, service: "ingest", logLevel: .debug, sink: lines.append)
        }
        logger[metadataKey: "request"] = "r-1"
        logger.info(
            "batch \"accepted\"\nnext line",
            metadata: ["count": "3", "tags": ["a", "b"], "nested": ["k": "v"], "msg": "clash", "control": "\u{01}"]
        )
        logger.trace("dropped: below the level")

        let all = lines.all
        #expect(all.count == 1)
        let line = try #require(all.first)
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "info")
        #expect(object["service"] as? String == "ingest")
        #expect(object["label"] as? String == "citydata.test")
        #expect(object["msg"] as? String == "batch \"accepted\"\nnext line")
        #expect(object["request"] as? String == "r-1")
        #expect(object["count"] as? String == "3")
        #expect(object["tags"] as? [String] == ["a", "b"])
        #expect(object["nested"] as? [String: String] == ["k": "v"])
        #expect(object["meta.msg"] as? String == "clash")
        #expect(object["control"] as? String == "\u{01}")
        let timestamp = try #require(object["ts"] as? String)
        #expect(timestamp.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil)
        #expect(line.hasPrefix(#"{"ts":""#))
    }
}
