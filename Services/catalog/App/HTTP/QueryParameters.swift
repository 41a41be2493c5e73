import Foundation

/// The query string as `application/x-www-form-urlencoded` (`+` is a space), the way CKAN clients and
/// browsers send it; a repeated name keeps every value in order.
struct QueryParameters: Sendable {
    private(set) var values: [(name: String, value: String)] = []

    init(_ query: String?) {
        for pair in (query ?? "").split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            values.append((Self.decode(parts[0]), parts.count > 1 ? Self.decode(parts[1]) : ""))
        }
    }

    /// The last value of `name`.
    subscript(name: String) -> String? { values.last(where: { $0.name == name })?.value }

    /// Every value of `name`.
    func all(_ name: String) -> [String] { values.filter { $0.name == name }.map(\.value) }

    /// The last value of each name.
    var dictionary: [String: String] { Dictionary(values.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last }) }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
