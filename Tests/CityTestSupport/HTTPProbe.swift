import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A small HTTP client for tests that talk to a service running as a child process.
public struct HTTPProbe: Sendable {
    /// A response, its body read whole.
    public struct Reply: Sendable {
        public let status: Int
        public let contentType: String?
        public let headers: [String: String]
        public let data: Data
        public var body: String { String(decoding: data, as: UTF8.self) }

        /// The body parsed as a JSON object (`[:]` when it is not one).
        public var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any]) ?? [:] }

        /// A response header, by case-insensitive name.
        public func header(_ name: String) -> String? {
            headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
    }

    public let base: URL
    private let session: URLSession

    public init(base: URL, timeout: TimeInterval = 30) {
        self.base = base
        self.session = Self.session(timeout: timeout)
    }

    /// One session per timeout for the whole test run. Probes are made per call (`service.http`), and a
    /// session per probe would open a connection per request and leave every session behind (they are
    /// never invalidated) — requests then stall for a long time now and then.
    private static let sessions = Mutex<[TimeInterval: URLSession]>([:])

    private static func session(timeout: TimeInterval) -> URLSession {
        sessions.withLock { sessions in
            if let session = sessions[timeout] { return session }
            let configuration = URLSessionConfiguration.ephemeral
            configuration.timeoutIntervalForRequest = timeout
            let session = URLSession(configuration: configuration)
            sessions[timeout] = session
            return session
        }
    }

    /// `http://127.0.0.1:<port>`.
    public init(port: Int, timeout: TimeInterval = 30) {
        self.init(base: URL(string: "http://127.0.0.1:\(port)")!, timeout: timeout)
    }

    public func get(_ path: String, headers: [String: String] = [:]) async throws -> Reply {
        try await request("GET", path, headers: headers)
    }

    /// Sends `body` as JSON (`Content-Type: application/json` unless `headers` says otherwise).
    public func post(_ path: String, json: Any, headers: [String: String] = [:]) async throws -> Reply {
        var headers = headers
        if headers["Content-Type"] == nil { headers["Content-Type"] = "application/json" }
        return try await request("POST", path, headers: headers, body: try JSONSerialization.data(withJSONObject: json))
    }

    /// Any request; `path` may carry a query string.
    public func request(_ method: String, _ path: String, headers: [String: String] = [:], body: Data? = nil) async throws -> Reply {
        guard let url = URL(string: path, relativeTo: base) else { throw URLError(.badURL) }
        var request = URLRequest(url: url)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response): (Data, URLResponse)
        if let body { (data, response) = try await session.upload(for: request, from: body) } else { (data, response) = try await session.data(for: request) }
        let http = response as! HTTPURLResponse
        var replyHeaders: [String: String] = [:]
        for (key, value) in http.allHeaderFields { replyHeaders["\(key)"] = "\(value)" }
        return Reply(status: http.statusCode, contentType: http.value(forHTTPHeaderField: "Content-Type"), headers: replyHeaders, data: data)
    }

    /// Polls `path` until it answers `status`, for at most `limit`; returns the last reply.
    public func waitFor(_ path: String, status: Int, within limit: Duration) async throws -> Reply? {
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
