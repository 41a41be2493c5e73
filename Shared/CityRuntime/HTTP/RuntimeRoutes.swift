import Foundation
import Hummingbird
import Prometheus

/// The routes every service answers: liveness, readiness and Prometheus metrics.
public enum RuntimeRoutes {
    /// Adds `GET /health/live`, `GET /health/ready` and `GET /metrics` to `router`.
    public static func add<Context: RequestContext>(
        to router: Router<Context>,
        readiness: ReadinessChecks,
        registry: PrometheusCollectorRegistry
    ) {
        router.get("/health/live") { _, _ in
            jsonResponse(.ok, ["status": "live"])
        }
        router.get("/health/ready") { _, _ -> Response in
            let report = await readiness.evaluate()
            let checks = JSONValue.array(report.outcomes.map { outcome in
                var entry: [String: JSONValue] = ["name": .string(outcome.name), "passed": .bool(outcome.passed)]
                if let reason = outcome.reason { entry["reason"] = .string(reason) }
                return .object(entry)
            })
            guard report.isReady else {
                throw Problem(
                    status: .serviceUnavailable,
                    title: "Service is not ready",
                    detail: "Failing readiness checks: \(report.failing.map(\.name).joined(separator: ", "))",
                    extensions: ["failing": .array(report.failing.map { .string($0.name) }), "checks": checks]
                )
            }
            return jsonResponse(.ok, ["status": "ready", "checks": checks])
        }
        router.get("/metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }

    private static func jsonResponse(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
