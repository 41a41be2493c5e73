import CityEvents
import CityRuntime

/// Reads `?source=&area=&from=&to=&limit=` of `GET /v1/indicators/{id}/values` into a ``ValueQuery``,
/// with a 400 problem that names the parameter when one is wrong.
enum ValueQueryParameters {
    static let defaultLimit = 1_000
    static let maximumLimit = 10_000

    static func parse(indicatorId: String, _ parameters: [String: String]) throws(Problem) -> ValueQuery {
        let from = try timestamp("from", parameters["from"])
        let to = try timestamp("to", parameters["to"])
        if let from, let to, from >= to {
            throw Problem(
                status: .badRequest, title: "Bad time range",
                detail: "from (\(from.rfc3339)) must be before to (\(to.rfc3339)); values are selected by period start in [from, to)",
                extensions: ["parameter": "from"])
        }
        var limit = defaultLimit
        if let text = parameters["limit"] {
            guard let parsed = Int(text), (1...maximumLimit).contains(parsed) else {
                throw Problem(
                    status: .badRequest, title: "Bad limit", detail: "limit must be an integer from 1 to \(maximumLimit), got '\(text)'",
                    extensions: ["parameter": "limit"])
            }
            limit = parsed
        }
        return ValueQuery(
            indicatorId: indicatorId, source: nonEmpty(parameters["source"]), area: nonEmpty(parameters["area"]), from: from, to: to, limit: limit)
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    /// RFC 3339 with an offset. A `+` decoded to a space by a client that did not escape it is put back.
    private static func timestamp(_ name: String, _ text: String?) throws(Problem) -> Timestamp? {
        guard let text = nonEmpty(text) else { return nil }
        if let parsed = Timestamp(rfc3339: text) ?? Timestamp(rfc3339: text.replacingOccurrences(of: " ", with: "+")) { return parsed }
        throw Problem(
            status: .badRequest, title: "Bad time range",
            detail: "\(name) must be an RFC 3339 time with an offset, e.g. 2025-03-01T00:00:00+07:00 (escape + as %2B); got '\(text)'",
            extensions: ["parameter": .string(name)])
    }
}
