import CityRuntime
import Foundation
import Hummingbird
import IndicatorsCore

/// `GET /v1/indicators`, `/v1/indicators/{id}`, `/v1/indicators/{id}/values` and
/// `/v1/air-quality/latest`. Reads go through ``IndicatorValueRepository``.
struct IndicatorRoutes: Sendable {
    let repository: IndicatorValueRepository

    func add(to router: Router<BasicRequestContext>) {
        let catalog = try? IndicatorRegistry.catalogJSON()
        router.get("/v1/indicators") { _, _ -> Response in
            guard let catalog else { throw Problem.internalError() }
            return Self.json(catalog)
        }
        router.get("/v1/indicators/:id") { _, context -> Response in
            let definition = try Self.definition(try context.parameters.require("id"))
            return Self.json(try Self.encode(definition))
        }
        router.get("/v1/indicators/:id/values") { request, context -> Response in
            let definition = try Self.definition(try context.parameters.require("id"))
            let parameters = Dictionary(
                request.uri.queryParameters.map { (String($0.key), String($0.value)) }, uniquingKeysWith: { first, _ in first })
            let query = try ValueQueryParameters.parse(indicatorId: definition.id, parameters)
            let values = try await repository.values(query)
            return Self.json(try Self.encode(ValuesBody(indicatorId: definition.id, values: values)))
        }
        router.get("/v1/air-quality/latest") { _, _ -> Response in
            let stations = try await repository.latest(AirQualityGeoJSON.indicators)
            return Self.json(try Self.encode(AirQualityGeoJSON(stations)), contentType: AirQualityGeoJSON.mediaType)
        }
    }

    /// The body of the values route.
    struct ValuesBody: Encodable {
        var indicatorId: String
        var values: [StoredIndicatorValue]
    }

    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    static func definition(_ id: String) throws(Problem) -> IndicatorDefinition {
        guard let definition = IndicatorRegistry.definition(id) else {
            throw Problem(
                status: .notFound, title: "Unknown indicator", detail: IndicatorError.unknownIndicator(id).description,
                extensions: ["indicatorId": .string(id)])
        }
        return definition
    }

    static func json(_ data: Data, contentType: String = "application/json") -> Response {
        Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
