import Foundation

/// Every indicator definition the service computes and serves on `GET /v1/indicators`.
public enum IndicatorRegistry {
    /// All definitions, in a stable order.
    public static let all: [IndicatorDefinition] = AirQualityDefinitions.all + TrafficDefinitions.all

    private static let byID: [String: IndicatorDefinition] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })

    /// The definition with this id, if any.
    public static func definition(_ id: String) -> IndicatorDefinition? { byID[id] }

    /// The definition with this id, or ``IndicatorError/unknownIndicator(_:)``.
    public static func require(_ id: String) throws(IndicatorError) -> IndicatorDefinition {
        guard let definition = byID[id] else { throw .unknownIndicator(id) }
        return definition
    }

    /// The JSON document of `GET /v1/indicators`: `{"indicators": [definition…]}`, keys sorted.
    public static func catalogJSON(_ definitions: [IndicatorDefinition] = all) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(IndicatorCatalog(indicators: definitions))
    }
}

/// The body of `GET /v1/indicators`.
public struct IndicatorCatalog: Codable, Sendable, Hashable {
    /// The definitions.
    public var indicators: [IndicatorDefinition]

    /// Creates a catalog.
    public init(indicators: [IndicatorDefinition]) {
        self.indicators = indicators
    }
}
