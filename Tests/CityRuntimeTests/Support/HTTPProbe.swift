import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Minimal HTTP GET for talking to a child service in tests.
struct HTTPProbe {
    struct Reply {
        let status: Int
        let contentType: String?
        let body: String
    }

    let base: URL
    private let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 5
        return URLSession(configuration: configuration)
    }()

    func get(_ path: String) async throws -> Reply {
        let (data, response) = try await session.data(from: base.appendingPathComponent(path))
        let http = response as! HTTPURLResponse
        return Reply(status: http.statusCode, contentType: http.value(forHTTPHeaderField: "Content-Type"), body: String(decoding: data, as: UTF8.self))
    }

    /// Polls `path` until it answers `status`, for at most `limit`; returns the last reply.
    func waitFor(_ path: String, status: Int, within limit: Duration) async throws -> Reply? {
        let deadline = ContinuousClock.now + limit
        var last: Reply?
        while ContinuousClock.now < deadline {
            if let reply = try? await get(path) {
                last = reply
                if reply.status == status { return reply }
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        return last
    }
}
