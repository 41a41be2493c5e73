import CityEvents
import Foundation
import IndicatorsCore
import Logging
import PostgresNIO

/// The consumer's queries: loads the state of the sources of a batch and writes back what the fold
/// changed, on the connection of the batch's transaction (which also stores the consumed offsets).
/// Tables are unqualified: the pool's `search_path` is the service's schema.
struct IndicatorStateStore: Sendable {
    let clock: LocalClock
    let logger: Logger

    /// Records the observation ids not seen before and returns them; a redelivered id is absent.
    func claim(_ observations: [ObservationRecorded], on connection: PostgresConnection) async throws -> Set<String> {
        guard !observations.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            INSERT INTO observation_inbox (observation_id, source_id, observed_at)
            SELECT * FROM unnest(\(observations.map(\.observationId))::text[], \(observations.map(\.sourceId))::text[], \(observations.map(\.observedAt.date))::timestamptz[])
            ON CONFLICT DO NOTHING RETURNING observation_id
            """,
            logger: logger)
        var fresh: Set<String> = []
        for try await id in rows.decode(String.self) { fresh.insert(id) }
        return fresh
    }

    /// Forgets inbox entries the lateness horizon already rejects (a redelivery of them is dead-lettered as too late).
    func pruneInbox(source: String, before: Timestamp, on connection: PostgresConnection) async throws {
        try await connection.query(
            "DELETE FROM observation_inbox WHERE source_id = \(source) AND observed_at < \(before.date)", logger: logger)
    }

    /// The stored watermark, dataset and location of each source (sources never seen are absent).
    func sources(_ ids: [String], on connection: PostgresConnection) async throws -> [String: SourceState] {
        let rows = try await connection.query(
            """
            SELECT source_id, dataset_id, watermark, lat, lon, area_code, located_at FROM sources WHERE source_id = ANY(\(ids))
            """,
            logger: logger)
        var states: [String: SourceState] = [:]
        for try await (source, dataset, watermark, lat, lon, area, locatedAt) in rows.decode((String, String, Date, Double?, Double?, String?, Date?).self) {
            var located: SourceState.Located?
            if let lat, let lon, let locatedAt {
                located = SourceState.Located(location: GeoLocation(lat: lat, lon: lon, areaCode: area), observedAt: Timestamp(locatedAt))
            }
            states[source] = SourceState(
                source: source, watermark: SourceWatermark(source: source, newestObservedAt: Timestamp(watermark)),
                datasetId: dataset, located: located)
        }
        return states
    }

    /// Loads into `state` the aggregates of hours `[from, to)`, the published values of periods
    /// starting in `[valuesFrom, to)` and the alert states.
    func load(into state: inout SourceState, readFrom: Timestamp, valuesFrom: Timestamp, to: Timestamp, on connection: PostgresConnection) async throws {
        let source = state.source
        let aggregates = try await connection.query(
            """
            SELECT quantity, hour_start, sum, count, minimum, maximum, first_observed_at, last_observed_at FROM hourly_aggregates
            WHERE source_id = \(source) AND hour_start >= \(readFrom.date) AND hour_start < \(to.date)
            """,
            logger: logger)
        for try await (quantity, hour, sum, count, minimum, maximum, first, last) in aggregates.decode((String, Date, Double, Int, Double, Double, Date, Date).self) {
            state.load(HourlyAggregate(
                source: source, quantity: quantity, hourStart: clock.local(Timestamp(hour)), sum: sum, count: count,
                minimum: minimum, maximum: maximum, firstObservedAt: Timestamp(first), lastObservedAt: Timestamp(last)))
        }
        let values = try await connection.query(
            """
            SELECT indicator_id, period_start, version, content::text FROM indicator_values
            WHERE source_id = \(source) AND period_start >= \(valuesFrom.date) AND period_start < \(to.date)
            """,
            logger: logger)
        let decoder = JSONDecoder()
        for try await (indicator, start, version, content) in values.decode((String, Date, Int, String).self) {
            let identity = ValueIdentity(indicatorId: indicator, source: source, periodStart: clock.local(Timestamp(start)))
            let stored = try decoder.decode(ValueContent.self, from: Data(content.utf8))
            state.published[identity.valueId] = PublishedValue(identity: identity, version: version, content: stored)
        }
        let alerts = try await connection.query(
            "SELECT indicator_id, state::text FROM alert_states WHERE source_id = \(source)", logger: logger)
        for try await (indicator, text) in alerts.decode((String, String).self) {
            state.alertStates[indicator] = try decoder.decode(AlertState.self, from: Data(text.utf8))
        }
    }

    /// Writes back what the fold changed.
    func save(_ state: SourceState, on connection: PostgresConnection) async throws {
        try await saveAggregates(state.changedAggregates, on: connection)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for (valueId, stored) in state.dirtyValues.sorted(by: { $0.key < $1.key }) {
            let event = stored.event
            let components = String(decoding: try encoder.encode(event.components), as: UTF8.self)
            let content = String(decoding: try encoder.encode(stored.content), as: UTF8.self)
            try await connection.query(
                """
                INSERT INTO indicator_values (value_id, indicator_id, source_id, period_start, period_end, version, value, unit,
                    category, category_vi, category_en, colour, complete, dominant_pollutant, components, content, dataset_id, computed_at)
                VALUES (\(valueId), \(event.indicatorId), \(event.source), \(event.periodStart.date), \(event.periodEnd.date), \(event.version),
                    \(event.value), \(event.unit), \(event.category), \(event.categoryVi), \(event.categoryEn), \(event.colour), \(event.complete),
                    \(stored.content.dominant), \(components)::jsonb, \(content)::jsonb, \(event.datasetId), \(event.computedAt.date))
                ON CONFLICT (value_id) DO UPDATE SET period_end = EXCLUDED.period_end, version = EXCLUDED.version, value = EXCLUDED.value,
                    unit = EXCLUDED.unit, category = EXCLUDED.category, category_vi = EXCLUDED.category_vi, category_en = EXCLUDED.category_en,
                    colour = EXCLUDED.colour, complete = EXCLUDED.complete, dominant_pollutant = EXCLUDED.dominant_pollutant,
                    components = EXCLUDED.components, content = EXCLUDED.content, dataset_id = EXCLUDED.dataset_id, computed_at = EXCLUDED.computed_at
                """,
                logger: logger)
        }
        for indicator in state.dirtyAlerts.sorted() {
            guard let alert = state.alertStates[indicator] else { continue }
            let text = String(decoding: try encoder.encode(alert), as: UTF8.self)
            try await connection.query(
                """
                INSERT INTO alert_states (indicator_id, source_id, state) VALUES (\(indicator), \(state.source), \(text)::jsonb)
                ON CONFLICT (indicator_id, source_id) DO UPDATE SET state = EXCLUDED.state
                """,
                logger: logger)
        }
        if state.sourceChanged, let watermark = state.watermark.newestObservedAt, let dataset = state.datasetId {
            let located = state.located
            try await connection.query(
                """
                INSERT INTO sources (source_id, dataset_id, watermark, lat, lon, area_code, located_at)
                VALUES (\(state.source), \(dataset), \(watermark.date), \(located?.location.lat), \(located?.location.lon),
                    \(located?.location.areaCode), \(located?.observedAt.date))
                ON CONFLICT (source_id) DO UPDATE SET dataset_id = EXCLUDED.dataset_id, watermark = EXCLUDED.watermark, lat = EXCLUDED.lat,
                    lon = EXCLUDED.lon, area_code = EXCLUDED.area_code, located_at = EXCLUDED.located_at
                """,
                logger: logger)
        }
    }

    private func saveAggregates(_ aggregates: [HourlyAggregate], on connection: PostgresConnection) async throws {
        guard !aggregates.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO hourly_aggregates (source_id, quantity, hour_start, sum, count, minimum, maximum, first_observed_at, last_observed_at)
            SELECT * FROM unnest(\(aggregates.map(\.source))::text[], \(aggregates.map(\.quantity))::text[], \(aggregates.map(\.hourStart.date))::timestamptz[],
                \(aggregates.map(\.sum))::float8[], \(aggregates.map(\.count))::int4[], \(aggregates.map(\.minimum))::float8[],
                \(aggregates.map(\.maximum))::float8[], \(aggregates.map(\.firstObservedAt.date))::timestamptz[], \(aggregates.map(\.lastObservedAt.date))::timestamptz[])
            ON CONFLICT (source_id, hour_start, quantity) DO UPDATE SET sum = EXCLUDED.sum, count = EXCLUDED.count, minimum = EXCLUDED.minimum,
                maximum = EXCLUDED.maximum, first_observed_at = EXCLUDED.first_observed_at, last_observed_at = EXCLUDED.last_observed_at
            """,
            logger: logger)
    }
}
