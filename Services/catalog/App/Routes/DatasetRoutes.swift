import CatalogCore
import CityEvents
import CityRuntime
import Hummingbird

/// `/v1/datasets`: search and read (open to anyone), create, replace and delete (the admin token, or
/// the owning agency with a publisher key).
struct DatasetRoutes: Sendable {
    let datasets: DatasetRepository
    let authenticator: Authenticator

    func add(to router: Router<BasicRequestContext>) {
        let group = router.group("v1/datasets")
        group.get { request, _ in
            let parameters = QueryParameters(request.uri.query).dictionary
            let query = try validating { () throws(ValidationFailure) in try SearchQuery(parameters: parameters) }
            let result = try await datasets.page(query)
            return try JSONReply.make(
                DatasetPage(items: result.items, page: query.page, pageSize: query.limit, total: result.total, totalExact: result.exact))
        }
        group.post { request, _ in
            let caller = try await authenticator.caller(of: request)
            try authorizing { () throws(Denial) in try CatalogPolicy.authenticated(caller, to: "managing datasets") }
            let body = try await JSONBody.decode(DatasetRequest.self, from: request)
            var snapshot = try validating { () throws(ValidationFailure) in try body.validated(updatedAt: ChangeStamp.next(after: nil)) }
            snapshot.freshness = DatasetFreshness(lastObservedAt: nil, late: false)
            try authorizing { () throws(Denial) in try CatalogPolicy.manageDataset(caller, ownedBy: snapshot.agencyId) }
            try await datasets.create(snapshot)
            return try JSONReply.make(.created, snapshot, location: "/v1/datasets/\(snapshot.id)")
        }
        group.get(":id") { _, context in
            let id = try context.parameters.require("id")
            guard let snapshot = try await datasets.find(id) else { throw ProblemMapping.notFound("dataset", id) }
            return try JSONReply.make(snapshot)
        }
        group.put(":id") { request, context in
            let id = try context.parameters.require("id")
            let caller = try await authenticator.caller(of: request)
            try authorizing { () throws(Denial) in try CatalogPolicy.authenticated(caller, to: "managing datasets") }
            let body = try await JSONBody.decode(DatasetRequest.self, from: request)
            let snapshot = try await datasets.replace(id) { current in
                try authorizing { () throws(Denial) in try CatalogPolicy.manageDataset(caller, ownedBy: current.agencyId) }
                let updated = try validating { () throws(ValidationFailure) in try body.validated(pathID: id, updatedAt: current.updatedAt) }
                try authorizing { () throws(Denial) in try CatalogPolicy.manageDataset(caller, ownedBy: updated.agencyId) }
                return updated
            }
            return try JSONReply.make(snapshot)
        }
        group.delete(":id") { request, context in
            let id = try context.parameters.require("id")
            let caller = try await authenticator.caller(of: request)
            try await datasets.delete(id) { current in
                try authorizing { () throws(Denial) in try CatalogPolicy.manageDataset(caller, ownedBy: current.agencyId) }
            }
            return JSONReply.noContent()
        }
    }
}
