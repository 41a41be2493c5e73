import ArgumentParser
import Foundation

/// Output of the tool: results on standard output, messages and progress on standard error.
enum Console {
    /// A line on standard output.
    static func out(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// A line on standard error (errors, warnings).
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// A progress line on standard error, for long operations.
    static func progress(_ line: String) {
        FileHandle.standardError.write(Data(("… " + line + "\n").utf8))
    }

    /// A value as JSON with sorted keys: pretty for whole documents, one line for streams (NDJSON).
    static func json<Value: Encodable>(_ value: Value, pretty: Bool = true) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(0x0A)
        FileHandle.standardOutput.write(data)
    }
}

/// `--format`: text for people, JSON for scripts.
enum OutputFormat: String, CaseIterable, Sendable {
    case text, json
}

/// `--format` of `tail`: pretty for people, JSON lines for scripts.
enum TailFormat: String, CaseIterable, Sendable {
    case pretty, json
}

extension OutputFormat: ExpressibleByArgument {}
extension TailFormat: ExpressibleByArgument {}
