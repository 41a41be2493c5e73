import Foundation
import Hummingbird

/// Builds `application/json` responses the same way in every service: keys sorted, slashes not
/// escaped, dates never encoded by Foundation (payloads carry RFC 3339 strings).
public enum JSONResponse {
    /// A response with `value` encoded as JSON.
    public static func make<Value: Encodable>(_ value: Value, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(value)
        } catch {
            return Problem.internalError().standaloneResponse()
        }
        var headers = extra
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension Problem {
    /// The problem as a response, outside a route handler's `throw` (e.g. inside a streaming body).
    public func standaloneResponse() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = Self.mediaType
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body())))
    }
}
