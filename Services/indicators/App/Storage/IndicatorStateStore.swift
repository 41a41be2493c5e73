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

    /// Forgets, per source, the inbox entries the lateness horizon already rejects (a redelivery of
    /// them is dead-lettered as too late). One statement for every source of the batch.
    func pruneInbox(_ horizons: [(source: String, before: Timestamp)], on connection: PostgresConnection) async throws {
        guard !horizons.isEmpty else { return }
        try await connection.query(
            """
            DELETE FROM observation_inbox i USING unnest(\(horizons.map(\.source))::text[], \(horizons.map(\.before.date))::timestamptz[]) AS p(source_id, before)
            WHERE i.source_id = p.source_id AND i.observed_at < p.before
            """,
            logger: logger)
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

    /// The hours and periods one source's observations of a batch can touch (``ObservationFold/window(observedAt:quantities:watermark:)``).
    struct Window: Sendable {
        var source: String
        var readFrom: Timestamp
        var valuesFrom: Timestamp
        var to: Timestamp
    }

    /// Loads into each source's state the aggregates of hours `[readFrom, to)`, the published values
    /// of periods starting in `[valuesFrom, to)` and the alert states — three queries for the whole
    /// batch, whatever its number of sources.
    func load(into states: inout [String: SourceState], windows: [Window], on connection: PostgresConnection) async throws {
        guard !windows.isEmpty else { return }
        let sources = windows.map(\.source)
        let aggregates = try await connection.query(
            """
            SELECT a.source_id, a.quantity, a.hour_start, a.sum, a.count, a.minimum, a.maximum, a.first_observed_at, a.last_observed_at
            FROM unnest(\(sources)::text[], \(windows.map(\.readFrom.date))::timestamptz[], \(windows.map(\.to.date))::timestamptz[]) AS w(source_id, read_from, read_to)
            JOIN hourly_aggregates a ON a.source_id = w.source_id AND a.hour_start >= w.read_from AND a.hour_start < w.read_to
            """,
            logger: logger)
        for try await (source, quantity, hour, sum, count, minimum, maximum, first, last) in aggregates.decode((String, String, Date, Double, Int, Double, Double, Date, Date).self) {
            states[source]?.load(HourlyAggregate(
                source: source, quantity: quantity, hourStart: clock.local(Timestamp(hour)), sum: sum, count: count,
                minimum: minimum, maximum: maximum, firstObservedAt: Timestamp(first), lastObservedAt: Timestamp(last)))
        }
        let values = try await connection.query(
            """
            SELECT v.source_id, v.indicator_id, v.period_start, v.version, v.content::text
            FROM unnest(\(sources)::text[], \(windows.map(\.valuesFrom.date))::timestamptz[], \(windows.map(\.to.date))::timestamptz[]) AS w(source_id, values_from, values_to)
            JOIN indicator_values v ON v.source_id = w.source_id AND v.period_start >= w.values_from AND v.period_start < w.values_to
            """,
            logger: logger)
        let decoder = JSONDecoder()
        for try await (source, indicator, start, version, content) in values.decode((String, String, Date, Int, String).self) {
            let identity = ValueIdentity(indicatorId: indicator, source: source, periodStart: clock.local(Timestamp(start)))
            let stored = try decoder.decode(ValueContent.self, from: Data(content.utf8))
            states[source]?.published[identity.valueId] = PublishedValue(identity: identity, version: version, content: stored)
        }
        let alerts = try await connection.query(
            "SELECT source_id, indicator_id, state::text FROM alert_states WHERE source_id = ANY(\(sources))", logger: logger)
        for try await (source, indicator, text) in alerts.decode((String, String, String).self) {
            states[source]?.alertStates[indicator] = try decoder.decode(AlertState.self, from: Data(text.utf8))
        }
    }

    /// Writes back what the fold changed in every source of the batch: one statement per table.
    func save(_ states: [SourceState], on connection: PostgresConnection) async throws {
        try await saveAggregates(states.flatMap(\.changedAggregates), on: connection)
        let encoder = JSONEncoder()  // into jsonb: key order does not matter
        var values: [ValueRow] = []
        var alertIndicators: [String] = [], alertSources: [String] = [], alertTexts: [String] = []
        var sources: [SourceRow] = []
        for state in states {
            for (valueId, stored) in state.dirtyValues.sorted(by: { $0.key < $1.key }) {
                values.append(try ValueRow(valueId: valueId, stored: stored, encoder: encoder))
            }
            for indicator in state.dirtyAlerts.sorted() {
                guard let alert = state.alertStates[indicator] else { continue }
                alertIndicators.append(indicator)
                alertSources.append(state.source)
                alertTexts.append(String(decoding: try encoder.encode(alert), as: UTF8.self))
            }
            if state.sourceChanged, let watermark = state.watermark.newestObservedAt, let dataset = state.datasetId {
                sources.append(SourceRow(state: state, dataset: dataset, watermark: watermark))
            }
        }
        if !values.isEmpty {
            // Rows travel as one JSON array (several columns may be NULL, which the driver's arrays
            // cannot carry); times as microseconds since the epoch, so that nothing is rounded.
            let rows = String(decoding: try encoder.encode(values), as: UTF8.self)
            try await connection.query(
                """
                INSERT INTO indicator_values (value_id, indicator_id, source_id, period_start, period_end, version, value, unit,
                    category, category_vi, category_en, colour, complete, dominant_pollutant, components, content, dataset_id, computed_at)
                SELECT r.value_id, r.indicator_id, r.source_id, \(unescaped: Self.fromMicros("r.period_start")), \(unescaped: Self.fromMicros("r.period_end")),
                    r.version, r.value, r.unit, r.category, r.category_vi, r.category_en, r.colour, r.complete, r.dominant_pollutant,
                    r.components, r.content, r.dataset_id, \(unescaped: Self.fromMicros("r.computed_at"))
                FROM jsonb_to_recordset(\(rows)::jsonb) AS r(value_id text, indicator_id text, source_id text, period_start bigint, period_end bigint,
                    version integer, value double precision, unit text, category text, category_vi text, category_en text, colour text,
                    complete boolean, dominant_pollutant text, components jsonb, content jsonb, dataset_id text, computed_at bigint)
                ON CONFLICT (value_id) DO UPDATE SET period_end = EXCLUDED.period_end, version = EXCLUDED.version, value = EXCLUDED.value,
                    unit = EXCLUDED.unit, category = EXCLUDED.category, category_vi = EXCLUDED.category_vi, category_en = EXCLUDED.category_en,
                    colour = EXCLUDED.colour, complete = EXCLUDED.complete, dominant_pollutant = EXCLUDED.dominant_pollutant,
                    components = EXCLUDED.components, content = EXCLUDED.content, dataset_id = EXCLUDED.dataset_id, computed_at = EXCLUDED.computed_at
                """,
                logger: logger)
        }
        if !alertIndicators.isEmpty {
            try await connection.query(
                """
                INSERT INTO alert_states (indicator_id, source_id, state)
                SELECT i, s, t::jsonb FROM unnest(\(alertIndicators)::text[], \(alertSources)::text[], \(alertTexts)::text[]) AS r(i, s, t)
                ON CONFLICT (indicator_id, source_id) DO UPDATE SET state = EXCLUDED.state
                """,
                logger: logger)
        }
        if !sources.isEmpty {
            let rows = String(decoding: try encoder.encode(sources), as: UTF8.self)
            try await connection.query(
                """
                INSERT INTO sources (source_id, dataset_id, watermark, lat, lon, area_code, located_at)
                SELECT r.source_id, r.dataset_id, \(unescaped: Self.fromMicros("r.watermark")), r.lat, r.lon, r.area_code, \(unescaped: Self.fromMicros("r.located_at"))
                FROM jsonb_to_recordset(\(rows)::jsonb) AS r(source_id text, dataset_id text, watermark bigint, lat double precision,
                    lon double precision, area_code text, located_at bigint)
                ON CONFLICT (source_id) DO UPDATE SET dataset_id = EXCLUDED.dataset_id, watermark = EXCLUDED.watermark, lat = EXCLUDED.lat,
                    lon = EXCLUDED.lon, area_code = EXCLUDED.area_code, located_at = EXCLUDED.located_at
                """,
                logger: logger)
        }
    }

    /// SQL turning a bigint column of microseconds since the epoch into a timestamptz, exactly.
    private static func fromMicros(_ column: String) -> String {
        "(timestamptz 'epoch' + \(column) * interval '1 microsecond')"
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

/// Microseconds since the epoch: how the batch writes carry times inside JSON without rounding.
private func microseconds(_ time: Timestamp) -> Int64 {
    time.secondsSinceEpoch * 1_000_000 + Int64(time.nanoseconds / 1_000)
}

/// One `indicator_values` row as the batch upsert's JSON carries it.
private struct ValueRow: Encodable {
    var value_id: String
    var indicator_id: String
    var source_id: String
    var period_start: Int64
    var period_end: Int64
    var version: Int
    var value: Double
    var unit: String
    var category: String?
    var category_vi: String?
    var category_en: String?
    var colour: String?
    var complete: Bool
    var dominant_pollutant: String?
    var components: [String: Double]
    var content: ValueContent
    var dataset_id: String
    var computed_at: Int64

    init(valueId: String, stored: SourceState.StoredValue, encoder: JSONEncoder) throws {
        let event = stored.event
        value_id = valueId
        indicator_id = event.indicatorId
        source_id = event.source
        period_start = microseconds(event.periodStart)
        period_end = microseconds(event.periodEnd)
        version = event.version
        value = event.value
        unit = event.unit
        category = event.category
        category_vi = event.categoryVi
        category_en = event.categoryEn
        colour = event.colour
        complete = event.complete
        dominant_pollutant = stored.content.dominant
        components = event.components
        content = stored.content
        dataset_id = event.datasetId
        computed_at = microseconds(event.computedAt)
    }
}

/// One `sources` row as the batch upsert's JSON carries it.
private struct SourceRow: Encodable {
    var source_id: String
    var dataset_id: String
    var watermark: Int64
    var lat: Double?
    var lon: Double?
    var area_code: String?
    var located_at: Int64?

    init(state: SourceState, dataset: String, watermark: Timestamp) {
        source_id = state.source
        dataset_id = dataset
        self.watermark = microseconds(watermark)
        lat = state.located?.location.lat
        lon = state.located?.location.lon
        area_code = state.located?.location.areaCode
        located_at = state.located.map { microseconds($0.observedAt) }
    }
}
