import CatalogCore
import CityEvents
import Foundation
import Testing

@Suite("Dataset request validation")
struct DatasetValidationTests {
    static let valid = """
        {"id": "hanoi-air-quality", "agencyId": "so-tnmt-hanoi", "title": "Chất lượng không khí Hà Nội",
         "titleEn": "Hanoi air quality", "theme": "environment", "accessLevel": "public", "updateFrequency": "PT1H",
         "license": "CC-BY-4.0", "timeColumn": "timestamp", "sourceColumn": null, "keywords": ["aqi", "bụi mịn"],
         "fields": [{"quantity": "pm25", "unit": "ug/m3", "column": "pm25"}, {"quantity": "temperature", "unit": "°C", "column": "temp"}]}
        """

    static func request(_ json: String = valid, _ change: (inout DatasetRequest) -> Void = { _ in }) throws -> DatasetRequest {
        var request = try JSONDecoder().decode(DatasetRequest.self, from: Data(json.utf8))
        change(&request)
        return request
    }

    static func errors(_ request: DatasetRequest) -> [FieldError] {
        do {
            _ = try request.validated(updatedAt: .now())
            return []
        } catch {
            return error.errors
        }
    }

    @Test("The platform's example dataset is valid and becomes its snapshot")
    func validExample() throws {
        let stamp = Timestamp(secondsSinceEpoch: 1_750_000_000)
        let snapshot = try Self.request().validated(updatedAt: stamp)
        #expect(snapshot.id == "hanoi-air-quality")
        #expect(snapshot.accessLevel == .public)
        #expect(snapshot.fields.map(\.quantity) == ["pm25", "temperature"])
        #expect(snapshot.keywords == ["aqi", "bụi mịn"])
        #expect(snapshot.updatedAt == stamp)
        #expect(snapshot.freshness == nil)
    }

    @Test("An unknown quantity is named with its field path")
    func unknownQuantity() throws {
        let request = try Self.request { $0.fields![1].quantity = "radiation" }
        let errors = Self.errors(request)
        #expect(errors.map(\.field) == ["fields[1].quantity"])
        #expect(errors.first?.reason.contains("radiation") == true)
    }

    @Test("A unit the quantity does not accept is refused")
    func wrongUnit() throws {
        let request = try Self.request { $0.fields![0].unit = "km/h" }
        #expect(Self.errors(request).map(\.field) == ["fields[0].unit"])
    }

    @Test("A malformed update frequency is refused")
    func badFrequency() throws {
        let request = try Self.request { $0.updateFrequency = "hourly" }
        #expect(Self.errors(request).map(\.field) == ["updateFrequency"])
    }

    @Test("Every invalid field is listed, not only the first")
    func allErrors() throws {
        let request = try Self.request {
            $0.id = "Bad Id"
            $0.accessLevel = "secret"
            $0.theme = "weather"
            $0.title = "  "
            $0.fields = []
        }
        #expect(Set(Self.errors(request).map(\.field)) == ["id", "accessLevel", "theme", "title", "fields"])
    }

    @Test("On PUT the body may omit the id but not change it")
    func pathID() throws {
        let omitted = try Self.request { $0.id = nil }
        #expect(try omitted.validated(pathID: "hanoi-air-quality", updatedAt: .now()).id == "hanoi-air-quality")
        let changed = try Self.request { $0.id = "other" }
        #expect(throws: ValidationFailure.self) { try changed.validated(pathID: "hanoi-air-quality", updatedAt: .now()) }
    }

    @Test("Duplicate columns are refused")
    func duplicateColumns() throws {
        let request = try Self.request { $0.fields![1].column = "pm25" }
        #expect(Self.errors(request).map(\.field) == ["fields[1].column"])
    }
}
