import CityEvents
import CityRuntime
import Foundation
import Hummingbird
import IngestCore
import Logging

/// `POST /v1/observations` and `GET /v1/batches/{id}`: authentication, limits, idempotency and the
/// status codes; reading and publishing is the ``UploadPipeline``'s, storage the ``BatchRepository``'s.
struct ObservationRoutes: Sendable {
    let replica: CatalogReplica
    let pipeline: UploadPipeline
    let batches: BatchRepository
    let limiter: RateLimiter
    let settings: IngestSettings
    let logger: Logger

    static let idempotencyKey = HTTPFields.Element.Name("Idempotency-Key")!
    static let idempotentReplayed = HTTPFields.Element.Name("Idempotent-Replayed")!

    func add(to router: Router<BasicRequestContext>) {
        router.post("/v1/observations") { request, _ in try await upload(request) }
        router.get("/v1/batches/:id") { request, context in try await batch(request, id: context.parameters.get("id") ?? "") }
    }

    private func upload(_ request: Request) async throws -> Response {
        guard replica.isCaughtUp else { throw Problem.catalogNotReady() }
        let catalog = replica.state
        let credential = try catalog.credential(of: request)
        guard credential.canPublish else {
            throw Problem.forbidden("key \(credential.keyId) is a subscriber key; publishing needs a publisher key of the dataset's agency")
        }
        if let wait = limiter.take(agencyId: credential.agencyId) {
            var problem = Problem(status: .tooManyRequests, type: ProblemType.rateLimited, title: "Too many requests",
                                  detail: "agency \(credential.agencyId) exceeded \(settings.rateLimitPerSecond) requests per second (burst \(settings.rateLimitBurst))")
            problem.retryAfterSeconds = wait
            throw problem
        }
        let format: UploadFormat
        switch UploadFormat.from(contentType: request.headers[.contentType]) {
        case .success(let found): format = found
        case .failure(let unsupported):
            throw Problem(status: .unsupportedMediaType, type: ProblemType.unsupportedMedia, title: "Unsupported media type", detail: unsupported.description)
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > settings.maxBodyBytes {
            throw UploadFailure.bodyTooLarge(limit: settings.maxBodyBytes).problem
        }
        let key = try idempotencyKey(of: request)
        if let key, let stored = try await batches.find(agencyId: credential.agencyId, idempotencyKey: key) {
            return replay(stored)
        }
        let query = request.uri.queryParameters
        let atomic = query.get("atomic").map { $0 == "true" || $0 == "1" } ?? false
        var csvDataset: DatasetSnapshot?
        if format == .csv {
            guard let datasetId = query.get("datasetId"), !datasetId.isEmpty else {
                throw Problem(status: .badRequest, type: ProblemType.badQuery, title: "Missing dataset",
                              detail: "a CSV upload names its dataset: POST /v1/observations?datasetId=…[&sourceId=…]")
            }
            guard let dataset = catalog.dataset(datasetId) else {
                throw Problem(status: .notFound, type: ProblemType.unknownDataset, title: "Unknown dataset", detail: "dataset '\(datasetId.prefix(64))' does not exist in the catalog")
            }
            guard dataset.agencyId == credential.agencyId else {
                throw Problem.forbidden("dataset '\(dataset.id)' belongs to agency \(dataset.agencyId); an agency publishes only to its own datasets")
            }
            csvDataset = dataset
        }
        let batchId = UUID()
        let upload = UploadRequest(
            batchId: batchId.uuidString.lowercased(), credential: credential, format: format, csvDataset: csvDataset,
            csvSourceId: query.get("sourceId"), allOrNothing: atomic, receivedAt: .now()
        )
        let summary: BatchSummary
        do {
            summary = try await pipeline.run(upload, catalog: catalog, body: request.body)
        } catch {
            throw error.problem
        }
        let (status, body) = try Self.answer(summary, allOrNothing: atomic)
        let stored = try await batches.insert(
            id: batchId, agencyId: credential.agencyId, idempotencyKey: key, statusCode: status, summary: summary, summaryJSON: body
        )
        logger.info("upload", metadata: [
            "batch": "\(summary.batchId)", "agency": "\(credential.agencyId)", "key": "\(credential.keyId)",
            "accepted": "\(summary.accepted)", "rejected": "\(summary.rejected)", "duplicates": "\(summary.duplicates)",
        ])
        return Self.response(status: stored.statusCode, json: stored.summaryJSON)
    }

    /// The status and body of an upload's outcome: 202 with the summary when anything was accepted
    /// (or nothing was refused); otherwise a problem carrying the summary's members — 403 when every
    /// record named another agency's dataset, 422 else.
    static func answer(_ summary: BatchSummary, allOrNothing: Bool) throws -> (Int, String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if summary.rejected == 0 && summary.accepted + summary.duplicates > 0 || summary.accepted > 0 && !allOrNothing {
            return (202, String(decoding: try encoder.encode(summary), as: UTF8.self))
        }
        let forbidden = !summary.errors.isEmpty && summary.errors.allSatisfy { $0.code == .forbiddenDataset }
        let detail: String
        if summary.rejected == 0 {
            detail = "the upload has no records"
        } else if allOrNothing {
            detail = "\(summary.rejected) records are not valid and atomic=true was asked: nothing was published"
        } else {
            detail = "no record is valid; see errors"
        }
        var members: [String: CityRuntime.JSONValue] = [
            "batchId": .string(summary.batchId), "accepted": .number(0), "rejected": .number(Double(summary.rejected)),
            "duplicates": .number(Double(summary.duplicates)), "errorsTruncated": .bool(summary.errorsTruncated),
        ]
        members["errors"] = try JSONDecoder().decode(CityRuntime.JSONValue.self, from: encoder.encode(summary.errors))
        let problem = Problem(
            status: forbidden ? .forbidden : .unprocessableContent, type: forbidden ? ProblemType.forbidden : ProblemType.rejected,
            title: forbidden ? "Not allowed" : "No record accepted", detail: forbidden ? "every record names a dataset of another agency" : detail,
            extensions: members
        )
        return (Int(problem.status.code), String(decoding: problem.body(), as: UTF8.self))
    }

    private func idempotencyKey(of request: Request) throws -> String? {
        guard let key = request.headers[Self.idempotencyKey] else { return nil }
        let valid = (1...255).contains(key.utf8.count) && key.utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7E }
        guard valid else {
            throw Problem(status: .badRequest, type: ProblemType.idempotencyKey, title: "Invalid Idempotency-Key",
                          detail: "an Idempotency-Key is 1–255 visible ASCII characters (a UUID is a good choice)")
        }
        return key
    }

    private func replay(_ stored: StoredBatch) -> Response {
        var response = Self.response(status: stored.statusCode, json: stored.summaryJSON)
        response.headers[Self.idempotentReplayed] = "true"
        return response
    }

    private func batch(_ request: Request, id: String) async throws -> Response {
        guard replica.isCaughtUp else { throw Problem.catalogNotReady() }
        let credential = try replica.state.credential(of: request)
        guard let uuid = UUID(uuidString: id), let stored = try await batches.find(id: uuid, agencyId: credential.agencyId) else {
            throw Problem.notFound(detail: "no batch '\(id.prefix(64))' of agency \(credential.agencyId)")
        }
        var response = Self.response(status: 200, json: stored.summaryJSON)
        response.headers[.contentType] = "application/json"
        return response
    }

    static func response(status: Int, json: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = status >= 400 ? Problem.mediaType : "application/json"
        return Response(status: HTTPResponse.Status(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: json)))
    }
}
