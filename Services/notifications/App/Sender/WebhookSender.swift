import AsyncHTTPClient
import CityEvents
import Foundation
import NIOCore
import NIOHTTP1
import NotificationsCore

/// Makes one webhook attempt: checks the URL against the destination policy, resolves a host name
/// and checks every address it resolves to, then POSTs the signed body with AsyncHTTPClient —
/// redirects not followed, one deadline for the whole attempt, the response body read only up to a
/// cap. Plain `http` to a name connects to the checked address itself (the `Host` header keeps the
/// name), so a DNS answer cannot change between the check and the connection.
struct WebhookSender: Sendable {
    let client: HTTPClient
    let policy: DestinationPolicy
    let timeout: Duration
    let maxResponseBytes: Int

    static let userAgent = "CityData-Notifications/1 (+https://citydata.vn/docs/notifications)"

    /// The AsyncHTTPClient configuration the sender needs: no redirects, no decompression, enough
    /// connections per host for `connectionsPerHost` deliveries in flight.
    static func makeClient(timeout: Duration, connectionsPerHost: Int) -> HTTPClient {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .milliseconds(Int64(min(timeout, .seconds(5)).wholeMilliseconds)), read: .milliseconds(Int64(timeout.wholeMilliseconds)))
        )
        configuration.decompression = .disabled
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = connectionsPerHost
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    func send(to urlText: String, body: [UInt8], headers: WebhookHeaders) async -> AttemptResult {
        let started = ContinuousClock.now
        func elapsed() -> Int { Int((ContinuousClock.now - started).wholeMilliseconds) }
        let target: (url: String, host: String?)
        do {
            target = try await connectionTarget(for: urlText)
        } catch {
            return .failed(responseCode: nil, latencyMs: nil, error: "destination refused: \(error)")
        }
        var request = HTTPClientRequest(url: target.url)
        request.method = .POST
        if let host = target.host { request.headers.replaceOrAdd(name: "host", value: host) }
        request.headers.add(name: "user-agent", value: Self.userAgent)
        request.headers.add(name: "content-type", value: WebhookRequest.contentType)
        for field in headers.fields { request.headers.add(name: field.name, value: field.value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let deadline = NIODeadline.now() + .milliseconds(Int64(timeout.wholeMilliseconds))
            let response = try await client.execute(request, deadline: deadline)
            var read = 0
            for try await chunk in response.body {
                read += chunk.readableBytes
                if read >= maxResponseBytes { break }
            }
            let code = Int(response.status.code)
            if (200..<300).contains(code) { return .delivered(responseCode: code, latencyMs: elapsed()) }
            let reason = (300..<400).contains(code) ? " (redirects are not followed)" : ""
            return .failed(responseCode: code, latencyMs: elapsed(), error: "HTTP \(code)\(reason)")
        } catch {
            return .failed(responseCode: nil, latencyMs: elapsed(), error: Self.describe(error))
        }
    }

    /// Where to connect, and the `Host` header when that is not the URL's host.
    private func connectionTarget(for urlText: String) async throws -> (url: String, host: String?) {
        let destination = try policy.validate(urlText)
        guard case .name(let name) = destination.host else { return (destination.url, nil) }
        let addresses = try await HostResolver.resolve(name).get()
        let checked = try policy.checkResolved(addresses, for: destination)
        guard !destination.usesTLS, let address = checked.first else {
            // TLS must verify the certificate for the name: the client connects by name (see docs/notifications.md).
            return (destination.url, nil)
        }
        var pinned = destination
        pinned.host = .address(address)
        let hostHeader = destination.port == 80 ? name : "\(name):\(destination.port)"
        return (pinned.url, hostHeader)
    }

    private static func describe(_ error: any Error) -> String {
        if let client = error as? HTTPClientError {
            if client == .deadlineExceeded || client == .readTimeout { return "timed out" }
            if client == .connectTimeout { return "connection timed out" }
            return "HTTP client error: \(client)"
        }
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        return text
    }
}
