import CityTestSupport
import Foundation

/// A real HTTP receiver in a separate process (`webhook_receiver.py`): it verifies every request
/// with the PyPI `standardwebhooks` package and logs what it received, one JSON line per request.
final class WebhookReceiver: @unchecked Sendable {
    // @unchecked: `process` is started in init and only signalled afterwards.
    struct Entry: Decodable, Sendable {
        var webhookId: String
        var verified: Bool
        var error: String?
        var eventId: String?
        var type: String?
        var answered: Int?
        var at: Double?
        /// The connection closed before the whole body (content-length) arrived.
        var truncated: Bool?
        /// The CloudEvent's `data` (the payload), when the request verified.
        var data: EventData?
    }

    /// The members of a payload the end-to-end test reads.
    struct EventData: Decodable, Sendable {
        var indicatorId: String?
        var source: String?
        var datasetId: String?
        var kind: String?
        var category: String?
        var value: Double?
    }

    let port: Int
    let logURL: URL
    private let process = Process()

    var url: String { "http://127.0.0.1:\(port)/hooks" }

    /// Starts a receiver for `secret` on `port` and waits until it listens.
    init(port: Int, secret: String, failFirst: Int = 0, hang: Bool = false, slowFirst: Duration = .zero) async throws {
        self.port = port
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("citydata-receiver-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        logURL = directory.appendingPathComponent("received.jsonl")
        let stdoutURL = directory.appendingPathComponent("stdout")
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        guard let root = NotificationsPython.repositoryRoot else { throw ReceiverError(description: "repository root not found") }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", root.appendingPathComponent("Tests/NotificationsTests/Service/Support/webhook_receiver.py").path,
            "--port", String(port), "--secret", secret, "--log", logURL.path, "--fail-first", String(failFirst),
        ] + (hang ? ["--hang"] : []) + (slowFirst > .zero ? ["--slow-first", String(Double(slowFirst.components.seconds))] : [])
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stdoutURL)
        try process.run()
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            if ((try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "").contains("listening") { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let output = (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? ""
        stop()
        throw ReceiverError(description: "the webhook receiver did not start: \(output)")
    }

    /// Every request received so far.
    var entries: [Entry] {
        let text = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
        let decoder = JSONDecoder()
        return text.split(separator: "\n").compactMap { try? decoder.decode(Entry.self, from: Data($0.utf8)) }
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    deinit { stop() }
}

struct ReceiverError: Error, CustomStringConvertible {
    var description: String
}
