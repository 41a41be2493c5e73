import Foundation
import Hummingbird
import Logging

/// Turns every error that leaves a handler into an `application/problem+json` response.
///
/// A thrown ``Problem`` is answered as is. Hummingbird's `HTTPError` (404 for unmatched routes,
/// and any status a handler throws) becomes a problem with that status and message. Any other
/// error is logged with its details and answered as a generic 500 whose `instance` is an opaque
/// id that appears in the log line, so the client learns nothing of the internals.
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return try problem.response(from: request, context: context)
        } catch let error as HTTPError {
            return try Problem(status: error.status, detail: error.body).response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            return try Problem(status: error.status).response(from: request, context: context)
        } catch {
            let incident = "urn:uuid:\(UUID().uuidString.lowercased())"
            context.logger.error(
                "unhandled error in request handler",
                metadata: [
                    "incident": .string(incident),
                    "http.method": .string(request.method.rawValue),
                    "http.path": .string(request.uri.path),
                    "error.type": .string(String(reflecting: type(of: error))),
                    "error.detail": .string(String(describing: error)),
                ]
            )
            return try Problem.internalError(instance: incident).response(from: request, context: context)
        }
    }
}
