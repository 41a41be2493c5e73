import Foundation
import Synchronization

/// A child process whose standard output is read line by line, for tests that run the project's
/// executables (the dev cluster, the probe) as separate processes.
final class ChildProcess: Sendable {
    private let process: Process
    private let stdinPipe = Pipe()
    private let lines = LockedBox<[String]>([])
    private let newLine = NSConditionBox()

    /// Starts `executable` (a product of this package) with `arguments`.
    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = try ChildProcess.productURL(executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        process.environment = env
        let stdoutPipe = Pipe()
        process.standardOutput = stdoutPipe
        process.standardInput = stdinPipe
        self.process = process
        try process.run()
        let reader = stdoutPipe.fileHandleForReading
        let thread = Thread { [lines, newLine] in
            var pending = Data()
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...newline)
                    lines.withLock { $0.append(line) }
                    newLine.broadcast()
                }
            }
            newLine.broadcast()
        }
        thread.start()
    }

    /// A child still running when its test is done (for instance after a failed expectation) is killed,
    /// so that no dev cluster or probe outlives the test run.
    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var processIdentifier: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// Waits (polling briefly, off the cooperative pool's hot path) for a line matching `predicate`.
    func waitForLine(timeout: Duration = .seconds(30), where predicate: @Sendable (String) -> Bool) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = lines.withLock({ $0.first(where: predicate) }) { return line }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("no matching line from \(process.executableURL?.lastPathComponent ?? "?") within \(timeout); got \(lines.withLock { $0 })")
    }

    /// All lines so far.
    var output: [String] { lines.withLock { $0 } }

    /// Writes one line to the child's standard input.
    func send(_ line: String) throws {
        try stdinPipe.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for the process to exit and returns its status.
    func waitForExit(timeout: Duration = .seconds(60)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else { throw TestFailure("process did not exit within \(timeout)") }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    /// Finds an executable of this package next to the test bundle.
    static func productURL(_ name: String) throws -> URL {
        var candidates: [URL] = []
        if let directory = ProcessInfo.processInfo.environment["CITYDATA_BIN_DIR"] {
            candidates.append(URL(fileURLWithPath: directory).appendingPathComponent(name))
        }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(directory.appendingPathComponent(name))
            directory = directory.deletingLastPathComponent()
        }
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) { return found }
        throw TestFailure("executable \(name) not found (looked in \(candidates.map(\.path))); run `swift build` first")
    }
}

/// A condition variable that may be shared across threads.
final class NSConditionBox: @unchecked Sendable {
    // @unchecked: NSCondition is thread-safe.
    private let condition = NSCondition()
    func broadcast() {
        condition.lock()
        condition.broadcast()
        condition.unlock()
    }
}

/// A test failure with a message.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A value behind a lock, shareable by reference between threads and closures.
final class LockedBox<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<R>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
}
