import Logging
import PostgresNIO

/// Idempotent handling by event id, for effects that are not one database transaction (a webhook,
/// an email): claim the event in `<schema>.inbox` before (or in the same transaction as) the effect;
/// only the first claim of an id by a consumer returns `true`.
public struct Inbox: Sendable {
    public let schema: SQLIdentifier
    public let logger: Logger

    public init(schema: SQLIdentifier, logger: Logger) {
        self.schema = schema
        self.logger = logger
    }

    /// `true` when `eventID` was not seen before by `consumer` (and is now recorded).
    public func claim(eventID: String, consumer: String, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            "INSERT INTO \(unescaped: schema.quoted).inbox (consumer, event_id) VALUES (\(consumer), \(eventID)) ON CONFLICT DO NOTHING RETURNING 1",
            logger: logger
        )
        for try await _ in rows { return true }
        return false
    }
}
