import Foundation
import Hummingbird

/// An RFC 9457 problem detail, answered as `application/problem+json`.
///
/// Throw it from a handler (it is an `HTTPResponseError`) or return its response. `type` is a URI
/// naming the kind of problem (`about:blank` when the status says it all), `title` a short summary
/// that does not vary between occurrences, `detail` this occurrence's explanation for the client.
/// Extension members (e.g. `errors` for per-field validation failures) are written at the top level.
public struct Problem: Error, HTTPResponseError, Sendable, Equatable, Encodable {
    public var type: String
    public var title: String
    public var status: HTTPResponse.Status
    public var detail: String?
    public var instance: String?
    /// Additional top-level members; names that clash with the standard members are ignored.
    public var extensions: [String: JSONValue]
    /// Seconds for a `Retry-After` header (429, 503): when the client may try again. Not in the body.
    public var retryAfterSeconds: Int?

    /// The media type of a problem body.
    public static let mediaType = "application/problem+json"
    private static let standardMembers: Set<String> = ["type", "title", "status", "detail", "instance"]

    public init(
        status: HTTPResponse.Status,
        type: String = "about:blank",
        title: String? = nil,
        detail: String? = nil,
        instance: String? = nil,
        extensions: [String: JSONValue] = [:]
    ) {
        self.type = type
        self.title = title ?? status.reasonPhrase
        self.status = status
        self.detail = detail
        self.instance = instance
        self.extensions = extensions
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: MemberKey.self)
        try container.encode(type, forKey: MemberKey("type"))
        try container.encode(title, forKey: MemberKey("title"))
        try container.encode(status.code, forKey: MemberKey("status"))
        try container.encodeIfPresent(detail, forKey: MemberKey("detail"))
        try container.encodeIfPresent(instance, forKey: MemberKey("instance"))
        for (name, value) in extensions where !Self.standardMembers.contains(name) {
            try container.encode(value, forKey: MemberKey(name))
        }
    }

    /// The JSON body (keys sorted, so bodies are stable).
    public func body() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data(#"{"title":"Internal Server Error","status":500}"#.utf8)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = Self.mediaType
        if status == .methodNotAllowed, case .array(let methods) = extensions["allow"] {
            headers[.allow] = methods.compactMap { if case .string(let method) = $0 { method } else { nil } }
                .joined(separator: ", ")
        }
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body())))
    }

    private struct MemberKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { self.stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

extension Problem {
    /// 404: nothing lives at the requested path.
    public static func notFound(detail: String? = nil) -> Problem {
        Problem(status: .notFound, detail: detail)
    }

    /// 405: the path exists but not for this method; `allowed` becomes the `Allow` header.
    public static func methodNotAllowed(allowed: [String]) -> Problem {
        Problem(status: .methodNotAllowed, extensions: ["allow": .array(allowed.map(JSONValue.string))])
    }

    /// 500 with no internals: the error itself goes to the log, keyed by `instance`.
    public static func internalError(instance: String? = nil) -> Problem {
        Problem(status: .internalServerError, detail: "The server failed to handle the request; it has been logged.", instance: instance)
    }

    /// 422 listing per-field failures in the `errors` member.
    public static func validation(detail: String, errors: [JSONValue]) -> Problem {
        Problem(status: .unprocessableContent, title: "Request is not valid", detail: detail, extensions: ["errors": .array(errors)])
    }
}
