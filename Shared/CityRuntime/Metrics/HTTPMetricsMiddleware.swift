import Hummingbird
import Metrics

/// Counts HTTP requests and records their latency by route template, method and status.
///
/// Emits `http_requests_total` (counter) and `http_request_duration_seconds` (histogram) with the
/// labels `route` (the matched path template, e.g. `/v1/batches/{id}`, or `unmatched`), `method`
/// and `status`. Errors are counted with the status they will be answered with.
public struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request: request, context: context, status: response.status.code, since: start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            record(request: request, context: context, status: status, since: start)
            throw error
        }
    }

    private func record(request: Request, context: Context, status: Int, since start: ContinuousClock.Instant) {
        let route = context.endpointPath.map { $0 == "NotFound" ? "unmatched" : $0 } ?? "unmatched"
        let dimensions = [("route", route), ("method", request.method.rawValue), ("status", String(status))]
        Counter(label: "http_requests_total", dimensions: dimensions).increment()
        Metrics.Timer(label: "http_request_duration_seconds", dimensions: dimensions)
            .record(ContinuousClock.now - start)
    }
}
