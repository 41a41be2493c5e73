import Foundation

/// Runs python3 for the notifications interop tests, from the repository root.
enum NotificationsPython {
    /// Whether a missing tool must fail the tests (CI) instead of skipping them.
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// The repository root: `CITYDATA_ROOT` if set, else the first ancestor of this file (symlinks
    /// resolved) whose Package.swift declares `name: "CityData"`.
    static let repositoryRoot: URL? = {
        if let override = ProcessInfo.processInfo.environment["CITYDATA_ROOT"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        var directory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while directory.path != "/" {
            let manifest = directory.appendingPathComponent("Package.swift")
            if let text = try? String(contentsOf: manifest, encoding: .utf8), text.contains("name: \"CityData\"") {
                return directory
            }
            directory.deleteLastPathComponent()
        }
        return nil
    }()

    struct Outcome {
        var status: Int32
        var output: String
    }

    struct RunError: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `python3 arguments…` in the repository root (or the current directory if not found).
    static func run(_ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        if let repositoryRoot { process.currentDirectoryURL = repositoryRoot }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// Runs `python3 arguments…` with `input` on standard input; `output` is standard output only,
    /// `errors` standard error.
    static func run(input: Data, arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        if let repositoryRoot { process.currentDirectoryURL = repositoryRoot }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        try stdin.fileHandleForWriting.write(contentsOf: input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self))
    }

    /// Whether python3 can import the PyPI package `standardwebhooks`.
    static let standardWebhooksPresent: Bool = {
        guard let outcome = try? run(["-c", "import standardwebhooks"]) else { return false }
        return outcome.status == 0
    }()
}
