import CityEvents
import CityRuntime
import Foundation
import Logging
import PostgresNIO

/// The catalog's access to its schema: transactions whose errors come out unwrapped (so a `Problem`
/// thrown inside reaches the client), and the transactional outbox every change writes its event to.
struct CatalogDatabase: Sendable {
    let postgres: PostgresClient
    let outbox: Outbox
    let logger: Logger

    /// `ce_source` of every catalog event.
    static let eventSource = "/city/catalog"

    init(postgres: PostgresClient, schema: SQLIdentifier, logger: Logger) {
        self.postgres = postgres
        self.outbox = Outbox(schema: schema, logger: logger)
        self.logger = logger
    }

    /// Runs `body` in one transaction; rolls back and rethrows `body`'s own error when it throws.
    func transaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        do {
            return try await postgres.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            if let closureError = error.closureError { throw closureError }
            throw error
        }
    }

    /// Writes the snapshot's event to the outbox, in the transaction of `connection`.
    func publish<Payload: SnapshotPayload>(_ snapshot: Payload, on connection: PostgresConnection) async throws {
        try await outbox.enqueue(EventCodec.encode(snapshot, source: Self.eventSource), on: connection)
    }

    /// Writes the tombstone of an entity to the outbox. It carries a `ce_id` header (the outbox and its
    /// consumers recognise repeats by it); consumers of compacted topics read only key and null value.
    func publishDeletion<Payload: SnapshotPayload>(of type: Payload.Type, id: String, on connection: PostgresConnection) async throws {
        var record = EventCodec.tombstone(for: type, entityId: id)
        record.headers = [EventHeader(name: CloudEventHeaderName.id, text: EventCodec.newEventID())]
        try await outbox.enqueue(record, on: connection)
    }
}

extension PostgresConnection {
    /// The first column of each row of `query`.
    func values<A: PostgresDecodable>(_ query: PostgresQuery, as _: A.Type, logger: Logger) async throws -> [A] {
        try await collect(query, logger: logger) { try $0.decode(A.self) }
    }

    /// The rows of `query` as tuples of two to five columns.
    func rows<A: PostgresDecodable, B: PostgresDecodable>(_ query: PostgresQuery, as _: (A, B).Type, logger: Logger) async throws -> [(A, B)] {
        try await collect(query, logger: logger) { try $0.decode((A, B).self) }
    }

    func rows<A: PostgresDecodable, B: PostgresDecodable, C: PostgresDecodable>(
        _ query: PostgresQuery, as _: (A, B, C).Type, logger: Logger
    ) async throws -> [(A, B, C)] {
        try await collect(query, logger: logger) { try $0.decode((A, B, C).self) }
    }

    func rows<A: PostgresDecodable, B: PostgresDecodable, C: PostgresDecodable, D: PostgresDecodable>(
        _ query: PostgresQuery, as _: (A, B, C, D).Type, logger: Logger
    ) async throws -> [(A, B, C, D)] {
        try await collect(query, logger: logger) { try $0.decode((A, B, C, D).self) }
    }

    func rows<A: PostgresDecodable, B: PostgresDecodable, C: PostgresDecodable, D: PostgresDecodable, E: PostgresDecodable>(
        _ query: PostgresQuery, as _: (A, B, C, D, E).Type, logger: Logger
    ) async throws -> [(A, B, C, D, E)] {
        try await collect(query, logger: logger) { try $0.decode((A, B, C, D, E).self) }
    }

    private func collect<Row>(_ query: PostgresQuery, logger: Logger, _ decode: (PostgresRow) throws -> Row) async throws -> [Row] {
        var result: [Row] = []
        for try await row in try await self.query(query, logger: logger) { result.append(try decode(row)) }
        return result
    }
}

/// Postgres' text form of a timestamptz column (`to_json(col) #>> '{}'`) as a `Timestamp`.
func timestamp(fromJSONText text: String?) -> Timestamp? {
    text.flatMap { Timestamp(rfc3339: $0) }
}
