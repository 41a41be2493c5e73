import CityEvents

/// Who an authenticated request comes from: the agency, the key it used and what that key may do.
public struct AgencyCredential: Sendable, Hashable {
    /// The agency the key belongs to.
    public let agencyId: String
    /// The public id of the key used (safe to log).
    public let keyId: String
    /// The key's role.
    public let role: ApiKeyRole

    /// Creates a credential.
    public init(agencyId: String, keyId: String, role: ApiKeyRole) {
        self.agencyId = agencyId
        self.keyId = keyId
        self.role = role
    }

    /// Whether the key may publish observations (role `publisher` or `both`).
    public var canPublish: Bool { role != .subscriber }
    /// Whether the key may subscribe to and read shared data (role `subscriber` or `both`).
    public var canSubscribe: Bool { role != .publisher }
}

/// Why a request could not be authenticated; each case maps to one 401 problem.
public enum AuthenticationFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// No `Authorization` header.
    case missing
    /// An `Authorization` header that is not `Bearer <key>`.
    case notBearer
    /// The bearer token does not have the API key format (`cdk_<keyId>_<secret>`).
    case malformed
    /// No agency has this key (or the secret does not match).
    case unknownKey
    /// The key was revoked.
    case revoked

    public var description: String {
        switch self {
        case .missing: return "the request has no Authorization header; send `Authorization: Bearer <API key>`"
        case .notBearer: return "the Authorization header must be `Bearer <API key>`"
        case .malformed: return "the bearer token is not a CityData API key (they look like cdk_<keyId>_<secret>)"
        case .unknownKey: return "the API key is not known; ask the catalog administrator for a key"
        case .revoked: return "the API key was revoked; use another key of your agency"
        }
    }

    /// The RFC 9457 problem to answer with: 401 and a `WWW-Authenticate`-worthy explanation.
    public var problem: Problem {
        Problem(
            status: .unauthorized,
            type: "https://citydata.vn/problems/unauthenticated",
            title: "Authentication required",
            detail: description
        )
    }
}
