import CityEvents

/// The body of `POST /v1/agencies` (all fields) and `PATCH /v1/agencies/{id}` (`name`, `nameEn`).
public struct AgencyRequest: Decodable, Sendable, Hashable {
    /// The agency id; required on create, must match the path (or be absent) on update.
    public var id: String?
    /// Vietnamese name.
    public var name: String?
    /// English name.
    public var nameEn: String?

    /// Creates a request.
    public init(id: String? = nil, name: String? = nil, nameEn: String? = nil) {
        self.id = id
        self.name = name
        self.nameEn = nameEn
    }

    /// The new agency's id, name and English name, or every invalid field.
    public func validatedForCreate() throws(ValidationFailure) -> (id: String, name: String, nameEn: String) {
        var check = FieldChecker()
        if let id { check.require(EntityID.isValid(id), "id", "must be \(EntityID.expectation)") } else { check.fail("id", "is required") }
        check.text(name, "name")
        check.text(nameEn, "nameEn", required: false)
        try check.finish()
        return (id!, name!, nameEn ?? "")
    }

    /// `current` with this request's fields applied, or every invalid field.
    public func applied(toAgency pathID: String, name currentName: String, nameEn currentNameEn: String) throws(ValidationFailure) -> (name: String, nameEn: String) {
        var check = FieldChecker()
        if let id { check.require(id == pathID, "id", "cannot be changed (the path names \(pathID))") }
        check.text(name, "name", required: false)
        check.text(nameEn, "nameEn", required: false)
        try check.finish()
        return (name ?? currentName, nameEn ?? currentNameEn)
    }
}

/// The optional body of `POST /v1/agencies/{id}/keys`.
public struct KeyRequest: Decodable, Sendable, Hashable {
    /// `publisher`, `subscriber` or `both` (the default).
    public var role: String?

    /// Creates a request.
    public init(role: String? = nil) { self.role = role }

    /// The requested role, or the field error.
    public func validatedRole() throws(ValidationFailure) -> ApiKeyRole {
        guard let role else { return .both }
        guard let parsed = ApiKeyRole(rawValue: role) else {
            throw ValidationFailure([FieldError(field: "role", reason: "must be one of publisher, subscriber, both; got \"\(role)\"")])
        }
        return parsed
    }
}
