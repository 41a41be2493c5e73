import CityRuntime
import Foundation
import Hummingbird

/// Who calls the subscription API: a key of a subscribing agency (role `subscriber` or `both`),
/// authenticated against the catalog replica.
enum Caller {
    static func subscriber(of request: Request, replica: CatalogReplica) throws -> AgencyCredential {
        switch replica.state.authenticate(authorization: request.headers[.authorization]) {
        case .failure(let failure):
            throw failure.problem
        case .success(let credential):
            guard credential.canSubscribe else {
                throw Problem(
                    status: .forbidden, type: "https://citydata.vn/problems/not-a-subscriber", title: "The key may not subscribe",
                    detail: "API key \(credential.keyId) has role publisher; use a key with role subscriber or both"
                )
            }
            return credential
        }
    }

    /// The subscription id in the path, or 404: ids are UUIDs, so anything else names nothing.
    static func subscriptionId(_ context: some RequestContext) throws -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else {
            throw Problem.notFound(detail: "no subscription has this id")
        }
        return id
    }
}
