import CityRuntime
import Foundation
import Hummingbird

/// Reading JSON request bodies and writing JSON responses, with problems that say what is wrong.
enum JSONMessages {
    static let maxBodyBytes = 64 * 1024

    /// Decodes the request body as `Body`; an absent body decodes from `{}`.
    static func decode<Body: Decodable>(_ type: Body.Type, from request: Request) async throws -> Body {
        let buffer = try await request.body.collect(upTo: maxBodyBytes)
        let data = buffer.readableBytes == 0 ? Data("{}".utf8) : Data(buffer.readableBytesView)
        do {
            return try JSONDecoder().decode(Body.self, from: data)
        } catch let error as DecodingError {
            throw Problem(
                status: .badRequest, type: "https://citydata.vn/problems/malformed-json", title: "The request body is not valid",
                detail: describe(error)
            )
        }
    }

    /// A JSON response.
    static func response<Body: Encodable>(_ body: Body, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(body))))
    }

    private static func describe(_ error: DecodingError) -> String {
        func pointer(_ path: [any CodingKey]) -> String {
            "/" + path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: "/")
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "the body is not JSON: send a JSON object with Content-Type: application/json"
        case .dataCorrupted(let context):
            return "\(pointer(context.codingPath)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "\(pointer(context.codingPath + [key])) is required"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "\(pointer(context.codingPath)) must be a \(type == String.self ? "string" : type == Bool.self ? "boolean" : "\(type)")"
        @unknown default:
            return "the body does not have the expected shape"
        }
    }
}
