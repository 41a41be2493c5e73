import CityEvents

/// Derives the current contract of an event type from its fixture data: field types from the JSON,
/// and "required" by removing each field and asking the reference decoder.
enum ContractBuilder {
    static func contract(for fixtureCase: FixtureCase, data: JSONValue) throws -> FieldContract {
        var fields: [String: FieldContract.Field] = [:]
        for (path, type) in JSONShape.fields(of: data) {
            let required: Bool
            if path.hasSuffix("[]") {
                required = true  // element type of a scalar array
            } else {
                let reduced = JSONShape.removing(path, from: data)
                required = !fixtureCase.decodes(try PayloadJSON.encode(reduced))
            }
            fields[path] = FieldContract.Field(type: type, required: required)
        }
        return FieldContract(eventType: fixtureCase.eventType, fields: fields)
    }
}
