import Logging
import Synchronization

/// A swift-log handler that writes one JSON object per line.
///
/// Each line has `ts` (RFC 3339, UTC, milliseconds), `level`, `service`, `msg`, `label`, and then the
/// logger's, the provider's and the call's metadata flattened into the same object (a call's value
/// wins over the logger's; keys that clash with the fixed fields are prefixed with `meta.`).
/// An error attached to the event is written as `error` (then a metadata `error` becomes
/// `meta.error`). Lines go to `sink` (stdout by default).
public struct JSONLogHandler: LogHandler {
    /// Where finished lines go; the line has no trailing newline.
    public typealias Sink = @Sendable (String) -> Void

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public let label: String
    public let service: String
    private let sink: Sink

    private static let reservedKeys: Set<String> = ["ts", "level", "service", "msg", "label"]

    public init(
        label: String,
        service: String,
        logLevel: Logger.Level = .info,
        metadataProvider: Logger.MetadataProvider? = nil,
        sink: @escaping Sink = StandardOutputSink.write
    ) {
        self.label = label
        self.service = service
        self.logLevel = logLevel
        self.metadataProvider = metadataProvider
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        sink(renderLine(event))
    }

    /// The JSON text of `event` as this handler would write it.
    public func renderLine(_ event: LogEvent) -> String {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }

        var line = "{\"ts\":\"\(RFC3339Timestamp.now())\",\"level\":\"\(event.level.rawValue)\",\"service\":"
        JSONText.appendString(service, to: &line)
        line.append(",\"msg\":")
        JSONText.appendString(event.message.description, to: &line)
        line.append(",\"label\":")
        JSONText.appendString(label, to: &line)
        if let error = event.error {
            line.append(",\"error\":")
            JSONText.appendString(String(describing: error), to: &line)
        }
        for key in merged.keys.sorted() {
            let clashes = Self.reservedKeys.contains(key) || (key == "error" && event.error != nil)
            line.append(",")
            JSONText.appendString(clashes ? "meta.\(key)" : key, to: &line)
            line.append(":")
            JSONText.appendMetadataValue(merged[key]!, to: &line)
        }
        line.append("}")
        return line
    }
}

/// Writes whole lines to standard output, one `write(2)` per line so that lines never interleave.
public enum StandardOutputSink {
    private static let lock = Mutex(())

    /// Writes `line` and a newline to stdout.
    @Sendable public static func write(_ line: String) {
        lock.withLock { _ in LineWriter.write(line, to: 1) }
    }
}
