import CityEvents
import CityRuntime
import Logging
import PostgresNIO

/// Writes observations into `<schema>.observations` with one multi-row `INSERT … ON CONFLICT DO
/// NOTHING`, so rows already archived are skipped: the archive's path for a batch that COPY refused
/// because it repeats an observation (a client's retry published it again).
struct ArchiveInsert: Sendable {
    let schema: SQLIdentifier
    let logger: Logger

    /// Inserts the rows not archived yet and returns how many that was.
    func insertSkippingArchived(_ observations: [ObservationRecorded], on connection: PostgresConnection) async throws -> Int {
        // Each row goes as its event payload (CityEvents' exact number and time encoding) plus the
        // publisher's UTC offset; Postgres takes the columns apart.
        var payloads: [String] = []
        var offsets: [Int16] = []
        payloads.reserveCapacity(observations.count)
        offsets.reserveCapacity(observations.count)
        for observation in observations {
            payloads.append(String(decoding: try observation.encodeJSON(), as: UTF8.self))
            offsets.append(observation.observedAt.utcOffsetMinutes)
        }
        let result = try await connection.query(
            """
            INSERT INTO \(unescaped: schema.quoted).observations
                (observation_id, dataset_id, agency_id, source_id, observed_at, utc_offset_minutes, lat, lon, area_code, measurements)
            SELECT r.p->>'observationId', r.p->>'datasetId', r.p->>'agencyId', r.p->>'sourceId', (r.p->>'observedAt')::timestamptz,
                   r.offset_minutes, (r.p->'location'->>'lat')::float8, (r.p->'location'->>'lon')::float8,
                   r.p->'location'->>'areaCode', r.p->'measurements'
            FROM (SELECT u.payload::jsonb AS p, u.offset_minutes FROM unnest(\(payloads)::text[], \(offsets)::int2[]) AS u(payload, offset_minutes)) AS r
            ON CONFLICT DO NOTHING
            RETURNING 1
            """,
            logger: logger
        )
        var inserted = 0
        for try await _ in result { inserted += 1 }
        return inserted
    }
}
