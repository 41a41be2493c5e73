import CityEvents
import IngestCore
import Logging
import PostgresNIO

/// Loads observations into the archive table with `COPY … FROM STDIN`, streamed in chunks so that
/// Postgres works on one chunk while the next is written. Plain COPY: a row already archived makes
/// the whole COPY fail with a unique violation (see ``ArchiveRepository/insert(_:on:)``).
struct ArchiveCopy: Sendable {
    /// Rows per chunk sent to Postgres (≈ 400 bytes a row).
    var chunkRows = 256
    let logger: Logger

    /// COPYs `observations` into the unqualified `table`, resolved through the connection's
    /// `search_path` (postgres-nio quotes the name as one identifier, so it cannot carry a schema).
    func load(_ observations: [ObservationRecorded], into table: String, on connection: PostgresConnection) async throws {
        var text = ObservationCopyText(reservingRows: min(chunkRows, observations.count))
        try await connection.copyFrom(table: table, columns: ObservationCopyText.columns, logger: logger) { writer in
            var start = 0
            while start < observations.count {
                let end = min(start + chunkRows, observations.count)
                for index in start..<end { try text.append(observations[index]) }
                try await writer.write(ByteBuffer(bytes: text.bytes))
                text.removeAll()
                start = end
            }
        }
    }
}
