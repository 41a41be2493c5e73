/// One versioned step of a service's schema, applied once and recorded in `<schema>.schema_migrations`.
///
/// `sql` may hold several statements; they run in order inside the migration transaction with
/// `search_path` set to the service's schema, so unqualified names land there. Never edit a
/// migration that has shipped: its checksum is recorded and a changed one stops the service.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// FNV-1a (64-bit) of the SQL text as 16 hex digits: detects edits, not tampering.
    public var checksum: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sql.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
