import CityEvents

/// Who is making a request, after authentication.
public enum Caller: Sendable, Hashable {
    /// The holder of the administration token.
    case admin
    /// An agency, through one of its API keys.
    case agency(id: String, role: ApiKeyRole)
    /// No `Authorization` header: may read public metadata only.
    case anonymous
}

/// Why a caller may not do something: the status to answer and the reason to give.
public enum Denial: Error, Sendable, Hashable {
    /// 401: the request needs credentials it does not carry.
    case unauthenticated(String)
    /// 403: the caller is known but may not do this.
    case forbidden(String)
}

/// The catalog's authorisation rules, in one place.
///
/// - The admin token may do everything (it bootstraps agencies and keys).
/// - An agency manages its own datasets and their grants with a key of role `publisher` or `both`;
///   a `subscriber` key cannot create, change or delete datasets or grants.
/// - Agencies and their keys are managed by the admin; an agency may list its own keys.
/// - Dataset and agency metadata is readable by anyone: access levels govern data, not metadata.
public enum CatalogPolicy {
    /// Does the request carry credentials at all? (401 before the body is even read.)
    public static func authenticated(_ caller: Caller, to action: String) throws(Denial) {
        if caller == .anonymous { throw .unauthenticated("\(action) needs an agency API key or the administration token") }
    }

    /// May `caller` create, update or delete agencies and issue or revoke keys?
    public static func manageAgencies(_ caller: Caller) throws(Denial) {
        switch caller {
        case .admin: return
        case .anonymous: throw .unauthenticated("managing agencies needs the administration token")
        case .agency: throw .forbidden("only the administration token manages agencies and their keys")
        }
    }

    /// May `caller` list the keys (ids, roles, dates — never hashes) of `agencyID`?
    public static func listKeys(_ caller: Caller, of agencyID: String) throws(Denial) {
        switch caller {
        case .admin: return
        case .anonymous: throw .unauthenticated("listing keys needs the administration token or one of the agency's keys")
        case .agency(let id, _):
            guard id == agencyID else { throw .forbidden("an agency may list only its own keys, not those of \(agencyID)") }
        }
    }

    /// May `caller` create, change or delete a dataset owned by `ownerID` (or its grants)?
    public static func manageDataset(_ caller: Caller, ownedBy ownerID: String) throws(Denial) {
        switch caller {
        case .admin: return
        case .anonymous: throw .unauthenticated("managing datasets needs an agency API key or the administration token")
        case .agency(let id, let role):
            guard role != .subscriber else { throw .forbidden("a subscriber key cannot publish or change datasets; use a key with role publisher or both") }
            guard id == ownerID else { throw .forbidden("agency \(id) cannot manage datasets of agency \(ownerID)") }
        }
    }
}
