import CatalogCore
import CityEvents
import CityRuntime
import Foundation
import PostgresNIO

/// An agency as the HTTP API shows it (no keys).
struct AgencyView: Codable, Sendable, Equatable {
    var id: String
    var name: String
    var nameEn: String
    var updatedAt: Timestamp
}

/// A key as listed to its agency or the admin: never the hash.
struct KeyView: Codable, Sendable, Equatable {
    var keyId: String
    var role: ApiKeyRole
    var createdAt: Timestamp
    var revokedAt: Timestamp?

    init(_ record: ApiKeyRecord) {
        keyId = record.keyId
        role = record.role
        createdAt = record.createdAt
        revokedAt = record.revokedAt
    }
}

/// A key's owner and role, for authentication.
struct StoredKey: Sendable {
    var agencyID: String
    var hash: String
    var role: ApiKeyRole
}

/// Agencies and their API keys. Every change writes the agency's full snapshot (all keys, revoked
/// ones included) to the outbox in the same transaction.
struct AgencyRepository: Sendable {
    let database: CatalogDatabase
    private var logger: Logger { database.logger }

    func list() async throws -> [AgencyView] {
        try await database.postgres.withConnection { connection in
            try await connection.rows(
                "SELECT id, name, name_en, to_json(updated_at) #>> '{}' FROM agencies ORDER BY id", as: (String, String, String, String).self, logger: logger
            ).map { AgencyView(id: $0.0, name: $0.1, nameEn: $0.2, updatedAt: timestamp(fromJSONText: $0.3) ?? .now()) }
        }
    }

    /// The agency's snapshot (with every key), or `nil`.
    func snapshot(_ id: String) async throws -> AgencySnapshot? {
        try await database.postgres.withConnection { connection in try await snapshot(id, on: connection, lock: false) }
    }

    func create(id: String, name: String, nameEn: String) async throws -> AgencySnapshot {
        try await database.transaction { connection in
            let stamp = ChangeStamp.next(after: nil)
            let inserted = try await connection.values(
                """
                INSERT INTO agencies (id, name, name_en, updated_at) VALUES (\(id), \(name), \(nameEn), \(stamp.rfc3339)::timestamptz)
                ON CONFLICT (id) DO NOTHING RETURNING id
                """, as: String.self, logger: logger)
            guard !inserted.isEmpty else { throw ProblemMapping.conflict("an agency with id \"\(id)\" already exists") }
            let snapshot = AgencySnapshot(id: id, name: name, nameEn: nameEn, apiKeys: [], updatedAt: stamp)
            try await database.publish(snapshot, on: connection)
            return snapshot
        }
    }

    /// Applies `change` to the locked agency and publishes the result; 404 when it does not exist.
    func update(_ id: String, _ change: @Sendable (AgencySnapshot) throws -> (name: String, nameEn: String)) async throws -> AgencySnapshot {
        try await database.transaction { connection in
            guard var snapshot = try await snapshot(id, on: connection, lock: true) else { throw ProblemMapping.notFound("agency", id) }
            (snapshot.name, snapshot.nameEn) = try change(snapshot)
            snapshot.updatedAt = ChangeStamp.next(after: snapshot.updatedAt)
            try await connection.query(
                "UPDATE agencies SET name = \(snapshot.name), name_en = \(snapshot.nameEn), updated_at = \(snapshot.updatedAt.rfc3339)::timestamptz WHERE id = \(id)",
                logger: logger)
            try await database.publish(snapshot, on: connection)
            return snapshot
        }
    }

    /// Deletes an agency that owns no datasets, with its keys and the grants it received (each
    /// grant's tombstone is published before the agency's).
    func delete(_ id: String) async throws {
        try await database.transaction { connection in
            guard try await snapshot(id, on: connection, lock: true) != nil else { throw ProblemMapping.notFound("agency", id) }
            let owned = try await connection.values("SELECT count(*)::int FROM datasets WHERE agency_id = \(id)", as: Int.self, logger: logger).first ?? 0
            guard owned == 0 else {
                throw ProblemMapping.conflict("agency \"\(id)\" still owns \(owned) dataset(s); delete or reassign them first")
            }
            let grants = try await connection.values("DELETE FROM grants WHERE agency_id = \(id) RETURNING id", as: String.self, logger: logger)
            for grant in grants { try await database.publishDeletion(of: GrantSnapshot.self, id: grant, on: connection) }
            try await connection.query("DELETE FROM agencies WHERE id = \(id)", logger: logger)
            try await database.publishDeletion(of: AgencySnapshot.self, id: id, on: connection)
        }
    }

    /// Issues a new key; the returned key is the only time it exists outside the caller.
    func issueKey(for agencyID: String, role: ApiKeyRole) async throws -> ApiKey {
        try await database.transaction { connection in
            guard var snapshot = try await snapshot(agencyID, on: connection, lock: true) else { throw ProblemMapping.notFound("agency", agencyID) }
            let key = ApiKey.generate()
            let stamp = ChangeStamp.next(after: snapshot.updatedAt)
            try await connection.query(
                """
                INSERT INTO api_keys (key_id, agency_id, hash, role, created_at)
                VALUES (\(key.keyId), \(agencyID), \(key.hash), \(role.rawValue), \(stamp.rfc3339)::timestamptz)
                """, logger: logger)
            snapshot.apiKeys.append(ApiKeyRecord(keyId: key.keyId, hash: key.hash, role: role, createdAt: stamp))
            try await touch(&snapshot, stamp: stamp, on: connection)
            return key
        }
    }

    /// Revokes a key; `false` when it was already revoked (nothing changes, nothing is published).
    func revokeKey(_ keyID: String, of agencyID: String) async throws -> Bool {
        try await database.transaction { connection in
            guard var snapshot = try await snapshot(agencyID, on: connection, lock: true) else { throw ProblemMapping.notFound("agency", agencyID) }
            guard let index = snapshot.apiKeys.firstIndex(where: { $0.keyId == keyID }) else { throw ProblemMapping.notFound("key of agency \(agencyID)", keyID) }
            guard snapshot.apiKeys[index].revokedAt == nil else { return false }
            let stamp = ChangeStamp.next(after: snapshot.updatedAt)
            try await connection.query("UPDATE api_keys SET revoked_at = \(stamp.rfc3339)::timestamptz WHERE key_id = \(keyID)", logger: logger)
            snapshot.apiKeys[index].revokedAt = stamp
            try await touch(&snapshot, stamp: stamp, on: connection)
            return true
        }
    }

    /// The unrevoked key with this id, for authentication.
    func activeKey(id: String) async throws -> StoredKey? {
        try await database.postgres.withConnection { connection in
            try await connection.rows(
                "SELECT agency_id, hash, role FROM api_keys WHERE key_id = \(id) AND revoked_at IS NULL", as: (String, String, String).self, logger: logger
            ).first.flatMap { row in ApiKeyRole(rawValue: row.2).map { StoredKey(agencyID: row.0, hash: row.1, role: $0) } }
        }
    }

    /// Whether the agency exists (inside a transaction).
    func exists(_ id: String, on connection: PostgresConnection) async throws -> Bool {
        try await !connection.values("SELECT 1 FROM agencies WHERE id = \(id)", as: Int.self, logger: logger).isEmpty
    }

    private func touch(_ snapshot: inout AgencySnapshot, stamp: Timestamp, on connection: PostgresConnection) async throws {
        snapshot.updatedAt = stamp
        try await connection.query("UPDATE agencies SET updated_at = \(stamp.rfc3339)::timestamptz WHERE id = \(snapshot.id)", logger: logger)
        try await database.publish(snapshot, on: connection)
    }

    private func snapshot(_ id: String, on connection: PostgresConnection, lock: Bool) async throws -> AgencySnapshot? {
        let query: PostgresQuery =
            lock
            ? "SELECT id, name, name_en, to_json(updated_at) #>> '{}' FROM agencies WHERE id = \(id) FOR UPDATE"
            : "SELECT id, name, name_en, to_json(updated_at) #>> '{}' FROM agencies WHERE id = \(id)"
        guard let row = try await connection.rows(query, as: (String, String, String, String).self, logger: logger).first else { return nil }
        let keys = try await connection.rows(
            """
            SELECT key_id, hash, role, to_json(created_at) #>> '{}', to_json(revoked_at) #>> '{}'
            FROM api_keys WHERE agency_id = \(id) ORDER BY created_at, key_id
            """, as: (String, String, String, String, String?).self, logger: logger)
        let records = keys.compactMap { key -> ApiKeyRecord? in
            guard let role = ApiKeyRole(rawValue: key.2), let created = timestamp(fromJSONText: key.3) else { return nil }
            return ApiKeyRecord(keyId: key.0, hash: key.1, role: role, createdAt: created, revokedAt: timestamp(fromJSONText: key.4))
        }
        return AgencySnapshot(id: row.0, name: row.1, nameEn: row.2, apiKeys: records, updatedAt: timestamp(fromJSONText: row.3) ?? .now())
    }
}
