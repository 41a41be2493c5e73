import CatalogCore
import CityEvents
import CityRuntime
import Foundation
import PostgresNIO

/// Grants of restricted datasets to other agencies, and their outbox events.
struct GrantRepository: Sendable {
    let database: CatalogDatabase
    private var logger: Logger { database.logger }

    /// Grants, optionally only those of `datasetID`, and only those `visibleTo` sees (grants of its
    /// datasets and grants to it; `nil` = all).
    func list(datasetID: String?, visibleTo agencyID: String?) async throws -> [GrantSnapshot] {
        try await database.postgres.withConnection { connection in
            try await connection.rows(
                """
                SELECT g.id, g.dataset_id, g.agency_id, to_json(g.created_at) #>> '{}'
                FROM grants g JOIN datasets d ON d.id = g.dataset_id
                WHERE (\(datasetID)::text IS NULL OR g.dataset_id = \(datasetID))
                  AND (\(agencyID)::text IS NULL OR g.agency_id = \(agencyID) OR d.agency_id = \(agencyID))
                ORDER BY g.created_at, g.id
                """, as: (String, String, String, String).self, logger: logger
            ).map(Self.snapshot)
        }
    }

    /// The grant and the owner of its dataset, or `nil`.
    func find(_ id: String) async throws -> (grant: GrantSnapshot, owner: String)? {
        try await database.postgres.withConnection { connection in try await find(id, on: connection) }
    }

    /// Grants `datasetID` to `agencyID`; `authorize` sees the dataset first. 422 for an unknown or
    /// public dataset or an unknown agency, 409 when the agency already holds a grant for it.
    func create(datasetID: String, agencyID: String, authorize: @Sendable (DatasetSnapshot) throws -> Void) async throws -> GrantSnapshot {
        try await database.transaction { connection in
            guard let dataset = try await DatasetRepository(database: database).find(datasetID, on: connection, lock: true) else {
                throw Self.invalid("datasetId", "no dataset with id \"\(datasetID)\"")
            }
            try authorize(dataset)
            guard dataset.accessLevel == .restricted else {
                throw Self.invalid("datasetId", "dataset \"\(datasetID)\" is public: every agency receives it; grants share restricted datasets")
            }
            guard dataset.agencyId != agencyID else { throw Self.invalid("agencyId", "agency \"\(agencyID)\" owns the dataset") }
            guard try await AgencyRepository(database: database).exists(agencyID, on: connection) else {
                throw Self.invalid("agencyId", "no agency with id \"\(agencyID)\"")
            }
            let grant = GrantSnapshot(id: EventCodec.newEventID(), datasetId: datasetID, agencyId: agencyID, createdAt: ChangeStamp.next(after: nil))
            let inserted = try await connection.values(
                """
                INSERT INTO grants (id, dataset_id, agency_id, created_at)
                VALUES (\(grant.id), \(datasetID), \(agencyID), \(grant.createdAt.rfc3339)::timestamptz)
                ON CONFLICT (dataset_id, agency_id) DO NOTHING RETURNING id
                """, as: String.self, logger: logger)
            guard !inserted.isEmpty else { throw ProblemMapping.conflict("agency \"\(agencyID)\" already holds a grant for dataset \"\(datasetID)\"") }
            try await database.publish(grant, on: connection)
            return grant
        }
    }

    /// Revokes a grant; `authorize` sees the grant and its dataset's owner first.
    func delete(_ id: String, authorize: @Sendable (GrantSnapshot, String) throws -> Void) async throws {
        try await database.transaction { connection in
            guard let found = try await find(id, on: connection) else { throw ProblemMapping.notFound("grant", id) }
            try authorize(found.grant, found.owner)
            try await connection.query("DELETE FROM grants WHERE id = \(id)", logger: logger)
            try await database.publishDeletion(of: GrantSnapshot.self, id: id, on: connection)
        }
    }

    private func find(_ id: String, on connection: PostgresConnection) async throws -> (grant: GrantSnapshot, owner: String)? {
        try await connection.rows(
            """
            SELECT g.id, g.dataset_id, g.agency_id, to_json(g.created_at) #>> '{}', d.agency_id
            FROM grants g JOIN datasets d ON d.id = g.dataset_id WHERE g.id = \(id)
            """, as: (String, String, String, String, String).self, logger: logger
        ).first.map { (Self.snapshot(($0.0, $0.1, $0.2, $0.3)), $0.4) }
    }

    private static func snapshot(_ row: (String, String, String, String)) -> GrantSnapshot {
        GrantSnapshot(id: row.0, datasetId: row.1, agencyId: row.2, createdAt: timestamp(fromJSONText: row.3) ?? .now())
    }

    private static func invalid(_ field: String, _ reason: String) -> Problem {
        ProblemMapping.validation(ValidationFailure([FieldError(field: field, reason: reason)]))
    }
}
