import Foundation

/// Runs the scripts of `Tests/CatalogTests/Python/` without blocking a thread of the cooperative pool:
/// output goes to a temporary file, and the termination handler resumes the test.
enum PythonScript {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Python")

    /// Whether `python3` can import `module`.
    static func canImport(_ module: String) async -> Bool { (try? await python(["-c", "import \(module)"]).status) == 0 }

    static func run(script: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await python([directory.appendingPathComponent(script).path] + arguments)
    }

    private static func python(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("ckan-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.standardOutput = handle
        process.standardError = handle
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return (status, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
    }
}
