import Foundation

/// Runs the Python interop scripts of `Tests/interop/` from the repository root.
enum PythonRunner {
    struct Outcome {
        var status: Int32
        var output: String
    }

    /// Whether failures to find Python or its packages must fail the tests (CI) instead of skipping.
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// Runs `python3 arguments…` with the repository root as working directory.
    static func run(_ arguments: [String]) throws -> Outcome {
        guard let root = RepoPaths.root else { throw RunnerError(text: "repository root not found; set CITYDATA_ROOT") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.currentDirectoryURL = root
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// Whether `python3` can import these modules.
    static func canImport(_ modules: [String]) -> Bool {
        guard let outcome = try? run(["-c", "import " + modules.joined(separator: ", ")]) else { return false }
        return outcome.status == 0
    }

    static let schemaToolsPresent = canImport(["jsonschema", "yaml"])
    static let cloudEventsSDKPresent = canImport(["cloudevents"])

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cityevents-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    struct RunnerError: Error, CustomStringConvertible {
        var text: String
        var description: String { text }
    }
}
