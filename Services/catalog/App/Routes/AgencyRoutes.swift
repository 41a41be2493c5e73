import CatalogCore
import CityEvents
import CityRuntime
import Hummingbird

/// `/v1/agencies`: agencies and their API keys. Changes need the admin token; reading agencies is
/// open; an agency may list its own keys.
struct AgencyRoutes: Sendable {
    let agencies: AgencyRepository
    let authenticator: Authenticator

    /// The body of a key issue answer: the key is shown this one time.
    struct IssuedKey: Encodable {
        var keyId: String
        var apiKey: String
        var role: ApiKeyRole
    }

    func add(to router: Router<BasicRequestContext>) {
        let group = router.group("v1/agencies")
        group.get { _, _ in try JSONReply.make(["items": try await agencies.list()]) }
        group.post { request, _ in
            try await authorize(request, CatalogPolicy.manageAgencies)
            let body = try await JSONBody.decode(AgencyRequest.self, from: request)
            let valid = try validating { () throws(ValidationFailure) in try body.validatedForCreate() }
            let snapshot = try await agencies.create(id: valid.id, name: valid.name, nameEn: valid.nameEn)
            return try JSONReply.make(.created, Self.view(snapshot), location: "/v1/agencies/\(snapshot.id)")
        }
        group.get(":id") { _, context in
            let id = try context.parameters.require("id")
            guard let snapshot = try await agencies.snapshot(id) else { throw ProblemMapping.notFound("agency", id) }
            return try JSONReply.make(Self.view(snapshot))
        }
        group.patch(":id") { request, context in
            let id = try context.parameters.require("id")
            try await authorize(request, CatalogPolicy.manageAgencies)
            let body = try await JSONBody.decode(AgencyRequest.self, from: request)
            let snapshot = try await agencies.update(id) { current in
                try validating { () throws(ValidationFailure) in try body.applied(toAgency: id, name: current.name, nameEn: current.nameEn) }
            }
            return try JSONReply.make(Self.view(snapshot))
        }
        group.delete(":id") { request, context in
            let id = try context.parameters.require("id")
            try await authorize(request, CatalogPolicy.manageAgencies)
            try await agencies.delete(id)
            return JSONReply.noContent()
        }
        group.get(":id/keys") { request, context in
            let id = try context.parameters.require("id")
            let caller = try await authenticator.caller(of: request)
            try authorizing { () throws(Denial) in try CatalogPolicy.listKeys(caller, of: id) }
            guard let snapshot = try await agencies.snapshot(id) else { throw ProblemMapping.notFound("agency", id) }
            return try JSONReply.make(["items": snapshot.apiKeys.map(KeyView.init)])
        }
        group.post(":id/keys") { request, context in
            let id = try context.parameters.require("id")
            try await authorize(request, CatalogPolicy.manageAgencies)
            let body = try await JSONBody.decode(KeyRequest.self, from: request, emptyValue: KeyRequest())
            let role = try validating { () throws(ValidationFailure) in try body.validatedRole() }
            let key = try await agencies.issueKey(for: id, role: role)
            var reply = try JSONReply.make(.created, IssuedKey(keyId: key.keyId, apiKey: key.rawValue, role: role), location: "/v1/agencies/\(id)/keys/\(key.keyId)")
            reply.headers[.cacheControl] = "no-store"
            return reply
        }
        group.delete(":id/keys/:keyId") { request, context in
            let id = try context.parameters.require("id")
            let keyID = try context.parameters.require("keyId")
            try await authorize(request, CatalogPolicy.manageAgencies)
            _ = try await agencies.revokeKey(keyID, of: id)
            return JSONReply.noContent()
        }
    }

    private func authorize(_ request: Request, _ rule: (Caller) throws(Denial) -> Void) async throws {
        let caller = try await authenticator.caller(of: request)
        try authorizing { () throws(Denial) in try rule(caller) }
    }

    static func view(_ snapshot: AgencySnapshot) -> AgencyView {
        AgencyView(id: snapshot.id, name: snapshot.name, nameEn: snapshot.nameEn, updatedAt: snapshot.updatedAt)
    }
}
