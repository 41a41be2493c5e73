import CityEvents

/// The body of `GET /v1/air-quality/latest`: a GeoJSON (RFC 7946) FeatureCollection with one Point
/// Feature per located station, carrying its latest `vn_aqi_hourly` and `us_aqi_hourly` values.
struct AirQualityGeoJSON: Encodable, Sendable {
    /// The indicators a feature carries.
    static let indicators = ["vn_aqi_hourly", "us_aqi_hourly"]
    static let mediaType = "application/geo+json"

    struct Feature: Encodable, Sendable {
        let type = "Feature"
        var id: String
        var geometry: Point
        var properties: Properties
    }

    struct Point: Encodable, Sendable {
        let type = "Point"
        /// `[longitude, latitude]`, as GeoJSON orders them.
        var coordinates: [Double]
    }

    struct Properties: Encodable, Sendable {
        var source: String
        var datasetId: String
        var areaCode: String?
        var locatedAt: Timestamp
        var vnAqiHourly: StoredIndicatorValue?
        var usAqiHourly: StoredIndicatorValue?

        enum CodingKeys: String, CodingKey {
            case source, datasetId, areaCode, locatedAt
            case vnAqiHourly = "vn_aqi_hourly"
            case usAqiHourly = "us_aqi_hourly"
        }
    }

    let type = "FeatureCollection"
    var features: [Feature]

    init(_ stations: [StationAirQuality]) {
        features = stations.map { station in
            Feature(
                id: station.source,
                geometry: Point(coordinates: [station.location.lon, station.location.lat]),
                properties: Properties(
                    source: station.source, datasetId: station.datasetId, areaCode: station.location.areaCode,
                    locatedAt: station.locatedAt, vnAqiHourly: station.latest["vn_aqi_hourly"], usAqiHourly: station.latest["us_aqi_hourly"]))
        }
    }
}
