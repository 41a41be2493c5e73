import CityEvents
import CityRuntime
import Foundation
import IngestCore
import Logging
import PostgresNIO
import Synchronization

/// One archived observation as read back for export.
struct ArchivedObservation: Sendable {
    var observation: ObservationRecorded
}

/// What an export asks for.
struct ArchiveQuery: Sendable {
    var datasetId: String
    var sourceId: String?
    var from: Timestamp?
    var to: Timestamp?
    var limit: Int?
}

/// The observation archive, `<schema>.observations`, partitioned by month of observation time.
final class ArchiveRepository: Sendable {
    let client: PostgresClient
    let schema: SQLIdentifier
    let logger: Logger
    /// Partitions known to exist (created by this process or found), so each month is created once.
    private let knownPartitions = Mutex<Set<String>>([])
    private let copy: ArchiveCopy
    private let fallback: ArchiveInsert

    init(client: PostgresClient, schema: SQLIdentifier, logger: Logger) {
        self.client = client
        self.schema = schema
        self.logger = logger
        copy = ArchiveCopy(logger: logger)
        fallback = ArchiveInsert(schema: schema, logger: logger)
    }

    /// Writes `observations` inside the caller's transaction; ids already archived are skipped.
    /// Returns how many rows were new.
    ///
    /// The rows go with one `COPY` (``ArchiveCopy``) under a savepoint. When one of them is archived
    /// already — a client's retry published it again — COPY fails with a unique violation; the
    /// transaction goes back to the savepoint and writes the batch with `INSERT … ON CONFLICT DO
    /// NOTHING` instead (``ArchiveInsert``).
    @discardableResult
    func insert(_ observations: [ObservationRecorded], on connection: PostgresConnection) async throws -> Int {
        guard !observations.isEmpty else { return 0 }
        try await ensurePartitions(for: observations, on: connection)
        // COPY names its table unqualified: pin this transaction's search_path to the schema. The
        // commit need not wait for the WAL flush: rows and consumed offsets commit together, so a
        // Postgres crash that loses the last transactions loses both, and the records are read
        // from Kafka again — exactly-once holds, and the archive spends no time waiting on fsync.
        try await connection.query(
            "SELECT set_config('search_path', \(schema.quoted), true), set_config('synchronous_commit', 'off', true)", logger: logger)
        try await connection.query("SAVEPOINT archive_copy", logger: logger)
        do {
            try await copy.load(observations, into: "observations", on: connection)
            return observations.count
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == Self.uniqueViolation {
            try await connection.query("ROLLBACK TO SAVEPOINT archive_copy", logger: logger)
            let inserted = try await fallback.insertSkippingArchived(observations, on: connection)
            logger.debug("archive batch repeats observations", metadata: ["records": "\(observations.count)", "new": "\(inserted)"])
            return inserted
        }
    }

    /// SQLSTATE `unique_violation`.
    private static let uniqueViolation = "23505"

    /// Creates the monthly partitions the observations fall into (serialised by an advisory lock, so
    /// that two archive consumers never race on the same month).
    private func ensurePartitions(for observations: [ObservationRecorded], on connection: PostgresConnection) async throws {
        var months = Set<MonthPartition>()
        for observation in observations { months.insert(MonthPartition(containing: observation.observedAt)) }
        let missing = knownPartitions.withLock { known in months.filter { !known.contains($0.name) } }
        guard !missing.isEmpty else { return }
        try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(schema.name + ".observations.partitions")))", logger: logger)
        for month in missing.sorted(by: { $0.name < $1.name }) {
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS \(unescaped: schema.quoted).\(unescaped: month.name)
                PARTITION OF \(unescaped: schema.quoted).observations
                FOR VALUES FROM ('\(unescaped: month.lowerBound)') TO ('\(unescaped: month.upperBound)')
                """,
                logger: logger
            )
        }
        knownPartitions.withLock { known in for month in missing { known.insert(month.name) } }
    }

    /// Streams the observations matching `query` in time order to `visit`, never holding them all.
    func stream(_ query: ArchiveQuery, _ visit: (ObservationRecorded) async throws -> Void) async throws {
        let from = query.from?.date ?? Date(timeIntervalSince1970: -62_135_596_800)
        let to = query.to?.date ?? Date(timeIntervalSince1970: 253_402_300_799)
        let limit = query.limit ?? Int.max
        try await client.withConnection { connection in
            let rows = try await connection.query(
                """
                SELECT observation_id, dataset_id, agency_id, source_id, (extract(epoch FROM observed_at) * 1000000)::int8,
                       utc_offset_minutes, lat, lon, area_code, measurements::text
                FROM \(unescaped: schema.quoted).observations
                WHERE dataset_id = \(query.datasetId) AND observed_at >= \(from) AND observed_at < \(to)
                  AND (\(query.sourceId)::text IS NULL OR source_id = \(query.sourceId))
                ORDER BY observed_at, source_id
                LIMIT \(Int64(min(limit, Int(Int64.max))))
                """,
                logger: logger
            )
            for try await (id, dataset, agency, source, micros, offset, lat, lon, area, measurements) in rows.decode(
                (String, String, String, String, Int64, Int16, Double?, Double?, String?, String).self
            ) {
                let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
                let instant = Timestamp(secondsSinceEpoch: seconds, nanoseconds: Int32((micros - seconds * 1_000_000) * 1_000), utcOffsetMinutes: 0)
                let decoded = MeasurementsColumn.decode(measurements)
                try await visit(ObservationRecorded(
                    observationId: id, datasetId: dataset, agencyId: agency, sourceId: source,
                    observedAt: instant.withOffset(minutes: offset), location: lat.flatMap { lat in lon.map { GeoLocation(lat: lat, lon: $0, areaCode: area) } },
                    measurements: decoded
                ))
            }
        }
    }
}

/// A calendar month (UTC) of the archive and its partition name, `observations_yYYYYmMM`.
struct MonthPartition: Hashable {
    var year: Int
    var month: Int

    init(containing timestamp: Timestamp) {
        let days = Int(floor(Double(timestamp.secondsSinceEpoch) / 86_400))
        let (year, month, _) = CivilCalendar.civilDate(daysSinceEpoch: days)
        self.year = year
        self.month = month
    }

    var name: String { "observations_y\(year)m\(month < 10 ? "0" : "")\(month)" }
    var lowerBound: String { Self.format(year, month) }
    var upperBound: String { month == 12 ? Self.format(year + 1, 1) : Self.format(year, month + 1) }

    private static func format(_ year: Int, _ month: Int) -> String {
        "\(year)-\(month < 10 ? "0" : "")\(month)-01 00:00:00+00"
    }
}

/// Reads the `measurements` jsonb column back with exact numbers (no Foundation JSON round trip).
enum MeasurementsColumn {
    static func decode(_ text: String) -> [ObservationMeasurement] {
        guard case .array(let items)? = try? StrictJSONParser.parse(Array(text.utf8)) else { return [] }
        return items.compactMap { item in
            guard case .string(let quantity)? = item["quantity"], case .number(let value, _)? = item["value"] else { return nil }
            let unit: String
            if case .string(let text)? = item["unit"] { unit = text } else { unit = "" }
            return ObservationMeasurement(quantity: quantity, value: value, unit: unit)
        }
    }
}
