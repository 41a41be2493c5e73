import CityEvents
import CityRuntime
import Hummingbird
import Logging

/// `GET /v1/datasets/{id}/observations?source=&from=&to=&format=json|ndjson|csv&limit=`: the archive
/// of a dataset streamed back in time order. Public datasets are open to anyone; restricted ones to
/// their owner and the agencies granted them.
struct ExportRoutes: Sendable {
    let replica: CatalogReplica
    let archive: ArchiveRepository
    let logger: Logger

    func add(to router: Router<BasicRequestContext>) {
        router.get("/v1/datasets/:id/observations") { request, context in
            try export(request, datasetId: context.parameters.get("id") ?? "")
        }
    }

    private func export(_ request: Request, datasetId: String) throws -> Response {
        guard replica.isCaughtUp else { throw Problem.catalogNotReady() }
        let catalog = replica.state
        guard let dataset = catalog.dataset(datasetId) else {
            throw Problem(status: .notFound, type: ProblemType.unknownDataset, title: "Unknown dataset", detail: "dataset '\(datasetId.prefix(64))' does not exist in the catalog")
        }
        if dataset.accessLevel == .restricted {
            let credential = try catalog.credential(of: request)
            guard catalog.isVisible(datasetId: dataset.id, to: credential.agencyId) else {
                throw Problem.forbidden("dataset '\(dataset.id)' is restricted; ask agency \(dataset.agencyId) for a grant")
            }
        }
        let parameters = request.uri.queryParameters
        let query = ArchiveQuery(
            datasetId: dataset.id, sourceId: parameters.get("source"),
            from: try Self.time(parameters.get("from"), name: "from"), to: try Self.time(parameters.get("to"), name: "to"),
            limit: try Self.limit(parameters.get("limit"))
        )
        if let from = query.from, let to = query.to, !(from < to) {
            throw Self.badQuery("'from' must be before 'to'")
        }
        let format = try ExportFormat.choose(parameter: parameters.get("format"), accept: request.headers[.accept])
        var headers = HTTPFields()
        headers[.contentType] = format.contentType
        let archive = self.archive
        let logger = self.logger
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            var output = ExportWriter(format: format, dataset: dataset)
            do {
                try await writer.write(output.start())
                try await archive.stream(query) { observation in
                    if let chunk = output.add(observation) { try await writer.write(chunk) }
                }
                try await writer.write(output.end())
                try await writer.finish(nil)
            } catch {
                logger.error("export failed mid-stream", metadata: ["dataset": "\(dataset.id)", "error": "\(String(reflecting: error))"])
                throw error
            }
        })
    }

    private static func time(_ text: String?, name: String) throws -> Timestamp? {
        guard let text, !text.isEmpty else { return nil }
        switch Timestamp.parse(text) {
        case .success(let time): return time
        case .failure(let error): throw badQuery("'\(name)': \(error.description)")
        }
    }

    private static func limit(_ text: String?) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), value > 0 else { throw badQuery("'limit' must be a positive integer") }
        return value
    }

    static func badQuery(_ detail: String) -> Problem {
        Problem(status: .badRequest, type: ProblemType.badQuery, title: "Invalid query", detail: detail)
    }
}
