import Foundation
import CatalogCore
import CityEvents
import CityRuntime
import Hummingbird

/// Who sent a request: the admin token, an agency's API key, or nobody.
///
/// The admin token is compared in constant time; a key is looked up by its public id and its hash
/// compared in constant time, so neither comparison leaks how much of a guess was right.
struct Authenticator: Sendable {
    let adminToken: String
    let keys: AgencyRepository

    /// The caller; throws 401 for a header that is present but malformed, unknown or revoked.
    func caller(of request: Request) async throws -> Caller {
        guard let header = request.headers[.authorization] else { return .anonymous }
        guard header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw Problem(status: .unauthorized, title: "Authentication required", detail: "the Authorization header must read `Bearer <token>`")
        }
        let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        if ApiKey.constantTimeEquals(token, adminToken) { return .admin }
        guard let key = ApiKey(token), let stored = try await keys.activeKey(id: key.keyId), key.matches(storedHash: stored.hash) else {
            throw Problem(status: .unauthorized, title: "Authentication required", detail: "the bearer token is neither the admin token nor a valid, unrevoked API key")
        }
        return .agency(id: stored.agencyID, role: stored.role)
    }
}
