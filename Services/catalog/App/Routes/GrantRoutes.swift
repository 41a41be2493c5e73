import CatalogCore
import CityEvents
import CityRuntime
import Hummingbird

/// `/v1/grants`: data-sharing grants. The admin sees and manages all; an agency sees the grants of
/// its datasets and those it received, and manages those of its datasets with a publisher key.
struct GrantRoutes: Sendable {
    let grants: GrantRepository
    let authenticator: Authenticator

    func add(to router: Router<BasicRequestContext>) {
        let group = router.group("v1/grants")
        group.get { request, _ in
            let caller = try await authenticator.caller(of: request)
            let datasetID = QueryParameters(request.uri.query)["datasetId"]
            switch caller {
            case .admin: return try JSONReply.make(["items": try await grants.list(datasetID: datasetID, visibleTo: nil)])
            case .agency(let id, _): return try JSONReply.make(["items": try await grants.list(datasetID: datasetID, visibleTo: id)])
            case .anonymous: throw ProblemMapping.denial(.unauthenticated("listing grants needs an agency API key or the administration token"))
            }
        }
        group.post { request, _ in
            let caller = try await authenticator.caller(of: request)
            try authorizing { () throws(Denial) in try CatalogPolicy.authenticated(caller, to: "managing grants") }
            let body = try await JSONBody.decode(GrantRequest.self, from: request)
            let valid = try validating { () throws(ValidationFailure) in try body.validated() }
            let grant = try await grants.create(datasetID: valid.datasetId, agencyID: valid.agencyId) { dataset in
                try authorizing { () throws(Denial) in try CatalogPolicy.manageDataset(caller, ownedBy: dataset.agencyId) }
            }
            return try JSONReply.make(.created, grant, location: "/v1/grants/\(grant.id)")
        }
        group.get(":id") { request, context in
            let id = try context.parameters.require("id")
            let caller = try await authenticator.caller(of: request)
            guard let found = try await grants.find(id) else { throw ProblemMapping.notFound("grant", id) }
            let (grant, owner) = (found.grant, found.owner)
            switch caller {
            case .admin: break
            case .agency(let agency, _) where agency == owner || agency == grant.agencyId: break
            case .agency: throw ProblemMapping.notFound("grant", id)  // do not reveal others' grants
            case .anonymous: throw ProblemMapping.denial(.unauthenticated("reading grants needs an agency API key or the administration token"))
            }
            return try JSONReply.make(grant)
        }
        group.delete(":id") { request, context in
            let id = try context.parameters.require("id")
            let caller = try await authenticator.caller(of: request)
            try await grants.delete(id) { _, owner in
                try authorizing { () throws(Denial) in try CatalogPolicy.manageDataset(caller, ownedBy: owner) }
            }
            return JSONReply.noContent()
        }
    }
}
