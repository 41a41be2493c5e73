import CityEvents
import Foundation
import IndicatorsCore
import Logging
import PostgresNIO

/// One stored value as the API serves it (the latest version of its value id).
struct StoredIndicatorValue: Sendable, Encodable {
    var valueId: String
    var source: String
    var area: String?
    var periodStart: Timestamp
    var periodEnd: Timestamp
    var value: Double
    var unit: String
    var category: String?
    var categoryVi: String?
    var categoryEn: String?
    var colour: String?
    var complete: Bool
    var version: Int
    var dominantPollutant: String?
    var components: [String: Double]
    var datasetId: String
    var computedAt: Timestamp
}

/// A station's position and its latest hourly air-quality values, for the GeoJSON map.
struct StationAirQuality: Sendable {
    var source: String
    var datasetId: String
    var location: GeoLocation
    var locatedAt: Timestamp
    /// By indicator id (`vn_aqi_hourly`, `us_aqi_hourly`).
    var latest: [String: StoredIndicatorValue]
}

/// Which values to read.
struct ValueQuery: Sendable, Hashable {
    var indicatorId: String
    var source: String?
    var area: String?
    /// Periods starting at or after.
    var from: Timestamp?
    /// Periods starting before.
    var to: Timestamp?
    var limit: Int
}

/// The API's read queries over the indicators schema; the HTTP layer knows no SQL.
struct IndicatorValueRepository: Sendable {
    let postgres: PostgresClient
    let clock: LocalClock
    let logger: Logger

    private static let columns = """
        v.value_id, v.source_id, s.area_code, v.period_start, v.period_end, v.value, v.unit, v.category, v.category_vi,
        v.category_en, v.colour, v.complete, v.version, v.dominant_pollutant, v.components::text, v.dataset_id, v.computed_at
        """

    /// Values of one indicator, oldest period first, then by source.
    func values(_ query: ValueQuery) async throws -> [StoredIndicatorValue] {
        let rows = try await postgres.query(
            """
            SELECT \(unescaped: Self.columns) FROM indicator_values v LEFT JOIN sources s ON s.source_id = v.source_id
            WHERE v.indicator_id = \(query.indicatorId)
              AND (\(query.source)::text IS NULL OR v.source_id = \(query.source))
              AND (\(query.area)::text IS NULL OR s.area_code = \(query.area))
              AND (\(query.from?.date)::timestamptz IS NULL OR v.period_start >= \(query.from?.date))
              AND (\(query.to?.date)::timestamptz IS NULL OR v.period_start < \(query.to?.date))
            ORDER BY v.period_start, v.source_id LIMIT \(query.limit)
            """,
            logger: logger)
        return try await decode(rows)
    }

    /// Every located source with its latest value of each of `indicators`.
    func latest(_ indicators: [String]) async throws -> [StationAirQuality] {
        let rows = try await postgres.query(
            """
            SELECT DISTINCT ON (v.source_id, v.indicator_id) \(unescaped: Self.columns), v.indicator_id, s.lat, s.lon, s.located_at
            FROM indicator_values v JOIN sources s ON s.source_id = v.source_id
            WHERE v.indicator_id = ANY(\(indicators)) AND s.lat IS NOT NULL AND s.lon IS NOT NULL
            ORDER BY v.source_id, v.indicator_id, v.period_start DESC
            """,
            logger: logger)
        var stations: [String: StationAirQuality] = [:]
        var order: [String] = []
        for try await row in rows {
            let (value, indicator, lat, lon, locatedAt) = try decodeRow(row)
            if stations[value.source] == nil {
                order.append(value.source)
                stations[value.source] = StationAirQuality(
                    source: value.source, datasetId: value.datasetId, location: GeoLocation(lat: lat, lon: lon, areaCode: value.area),
                    locatedAt: clock.local(Timestamp(locatedAt)), latest: [:])
            }
            stations[value.source]?.latest[indicator] = value
        }
        return order.compactMap { stations[$0] }
    }

    private func decode(_ rows: PostgresRowSequence) async throws -> [StoredIndicatorValue] {
        var values: [StoredIndicatorValue] = []
        for try await row in rows { values.append(try value(from: row)) }
        return values
    }

    private func value(from row: PostgresRow) throws -> StoredIndicatorValue {
        let columns = row.makeRandomAccess()
        let components = try columns[14].decode(String.self)
        return StoredIndicatorValue(
            valueId: try columns[0].decode(String.self),
            source: try columns[1].decode(String.self),
            area: try columns[2].decode(String?.self),
            periodStart: clock.local(Timestamp(try columns[3].decode(Date.self))),
            periodEnd: clock.local(Timestamp(try columns[4].decode(Date.self))),
            value: try columns[5].decode(Double.self),
            unit: try columns[6].decode(String.self),
            category: try columns[7].decode(String?.self),
            categoryVi: try columns[8].decode(String?.self),
            categoryEn: try columns[9].decode(String?.self),
            colour: try columns[10].decode(String?.self),
            complete: try columns[11].decode(Bool.self),
            version: try columns[12].decode(Int.self),
            dominantPollutant: try columns[13].decode(String?.self),
            components: try JSONDecoder().decode([String: Double].self, from: Data(components.utf8)),
            datasetId: try columns[15].decode(String.self),
            computedAt: Timestamp(try columns[16].decode(Date.self)))
    }

    private func decodeRow(_ row: PostgresRow) throws -> (StoredIndicatorValue, String, Double, Double, Date) {
        let columns = row.makeRandomAccess()
        return (
            try value(from: row), try columns[17].decode(String.self), try columns[18].decode(Double.self),
            try columns[19].decode(Double.self), try columns[20].decode(Date.self))
    }
}
