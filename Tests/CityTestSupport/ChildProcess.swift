import CityRuntime
import Foundation
import Testing

/// A built executable of this package run as a separate process, its output captured in files.
public final class ChildProcess: @unchecked Sendable {
    // @unchecked: `process` is configured before `run()` and only read afterwards.
    public let process = Process()
    public let stdoutURL: URL
    public let stderrURL: URL
    private let exited = StartupSignal(name: "exit")

    /// Locates `name` next to the test bundle (the build products directory), or in `$CITYDATA_BIN_DIR`.
    public static func executable(_ name: String) throws -> URL {
        var directories: [URL] = []
        if let override = ProcessInfo.processInfo.environment["CITYDATA_BIN_DIR"] {
            directories.append(URL(fileURLWithPath: override))
        }
        directories.append(Bundle.main.bundleURL)
        directories.append(URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent())
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for directory in directories {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw ExecutableMissing(name: name, searched: directories.map(\.path))
    }

    public struct ExecutableMissing: Error, CustomStringConvertible {
        public let name: String
        public let searched: [String]
        public var description: String { "executable \(name) not found in \(searched); run `swift build` first" }
    }

    public init(_ name: String, arguments: [String] = [], environment: [String: String]) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("citydata-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        stdoutURL = directory.appendingPathComponent("stdout")
        stderrURL = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = try Self.executable(name)
        process.arguments = arguments
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { mine, _ in mine }
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        let exited = self.exited
        process.terminationHandler = { _ in exited.open() }
        try process.run()
    }

    /// Sends SIGTERM.
    public func terminate() { process.terminate() }

    /// Sends `number` (e.g. SIGKILL).
    public func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    public var isRunning: Bool { process.isRunning }

    /// The lines written to standard output so far.
    public var outputLines: [String] { standardOutput.split(separator: "\n").map(String.init) }

    /// Waits (polling the output file) for a line of standard output matching `predicate`.
    public func waitForLine(within limit: Duration = .seconds(30), where predicate: (String) -> Bool) async throws -> String {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if let line = outputLines.first(where: predicate) { return line }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ExpectationTimedOut(description: "no matching line from \(process.executableURL?.lastPathComponent ?? "?") within \(limit); stdout: \(standardOutput.suffix(2000)) stderr: \(standardError.suffix(2000))")
    }

    /// A child still running when its test is done is killed, so no service outlives the test run.
    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Waits for the process to exit and returns its exit status; kills it after `limit`.
    public func waitForExit(within limit: Duration) async throws -> Int32 {
        if let status = try await exitStatus(within: limit) { return status }
        kill(process.processIdentifier, SIGKILL)
        Issue.record("process did not exit within \(limit); killed. Its last output: \(standardOutput.suffix(3000)) \(standardError.suffix(1000))")
        if let status = try await exitStatus(within: .seconds(10)) { return status }
        throw ExpectationTimedOut(description: "process \(process.processIdentifier) still there 10 s after SIGKILL")
    }

    /// The exit status once the child is gone, or `nil` after `limit`. Foundation's termination
    /// handler normally says so; on Linux under load it has been seen to miss a child's exit (the
    /// child stays a zombie and nothing would ever resume — a test run hung that way), so the
    /// child's state in /proc is checked too, and a zombie is reaped here.
    private func exitStatus(within limit: Duration) async throws -> Int32? {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if exited.isOpen { return process.terminationStatus }
            if let status = reapIfZombie() { return status }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// Reaps the child if it is a zombie nobody collected; its status as Foundation reports one
    /// (the exit code, or the number of the signal that ended it).
    private func reapIfZombie() -> Int32? {
        let pid = process.processIdentifier
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")"), stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
        else { return nil }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return nil }  // Foundation reaped it first: its handler follows
        return status & 0x7f == 0 ? (status >> 8) & 0xff : status & 0x7f
    }

    public var standardOutput: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    public var standardError: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }
}

/// A child did not show what the test waited for in time.
public struct ExpectationTimedOut: Error, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}

/// A TCP port nothing listens on right now, for a child's HTTP server.
public func freeTCPPort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
            bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
        }
    }
    guard bound else { throw POSIXError(.EADDRINUSE) }
    return Int(UInt16(bigEndian: address.sin_port))
}
