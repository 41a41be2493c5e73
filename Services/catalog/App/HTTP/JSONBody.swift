import CatalogCore
import CityRuntime
import Foundation
import Hummingbird

/// Reading JSON request bodies with precise problems: 400 when the body is not JSON (or missing),
/// 422 naming the field when it is JSON of the wrong shape.
enum JSONBody {
    /// The largest body the catalog reads.
    static let limit = 1 << 20

    /// The body decoded as `T`; `optional` bodies may be empty, which decodes `emptyValue`.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, emptyValue: T? = nil) async throws -> T {
        let buffer = try await request.body.collect(upTo: limit)
        let data = Data(buffer.readableBytesView)
        if data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            if let emptyValue { return emptyValue }
            throw Problem(status: .badRequest, title: "Malformed request body", detail: "a JSON object is required as the request body")
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw problem(for: error)
        }
    }

    private static func problem(for error: DecodingError) -> Problem {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return Problem(status: .badRequest, title: "Malformed request body", detail: "the body is not valid JSON: \(underlying(context))")
        case .typeMismatch(_, let context) where context.codingPath.isEmpty:
            return Problem(status: .badRequest, title: "Malformed request body", detail: "the body must be a JSON object")
        case .typeMismatch(let expected, let context):
            return invalid(path(context.codingPath), "must be \(describe(expected))")
        case .valueNotFound(let expected, let context):
            return invalid(path(context.codingPath), "must be \(describe(expected)), not null")
        case .keyNotFound(let key, let context):
            return invalid(path(context.codingPath + [key]), "is required")
        case .dataCorrupted(let context):
            return invalid(path(context.codingPath), context.debugDescription)
        @unknown default:
            return Problem(status: .badRequest, title: "Malformed request body", detail: "the body could not be read")
        }
    }

    private static func invalid(_ field: String, _ reason: String) -> Problem {
        ProblemMapping.validation(ValidationFailure([FieldError(field: field, reason: reason)]))
    }

    /// `fields[1].unit` from a coding path.
    static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue { text += "[\(index)]" } else { text += text.isEmpty ? key.stringValue : ".\(key.stringValue)" }
        }
        return text.isEmpty ? "(body)" : text
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type, is String?.Type: "a string"
        case is Double.Type, is Int.Type: "a number"
        case is Bool.Type: "true or false"
        default: String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }

    private static func underlying(_ context: DecodingError.Context) -> String {
        (context.underlyingError.map { String(describing: $0) } ?? context.debugDescription)
    }
}

/// JSON responses with stable (sorted) keys.
enum JSONReply {
    /// 200 with `value`.
    static func make<Value: Encodable>(_ value: Value) throws -> Response { try make(.ok, value) }

    static func make<Value: Encodable>(_ status: HTTPResponse.Status, _ value: Value, location: String? = nil, contentType: String = "application/json") throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        var headers = HTTPFields()
        headers[.contentType] = contentType
        if let location { headers[.location] = location }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// 204 No Content.
    static func noContent() -> Response { Response(status: .noContent) }
}
