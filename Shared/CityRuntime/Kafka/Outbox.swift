import CityEvents
import Foundation
import Logging
import PostgresNIO

/// The writing half of the transactional outbox: `enqueue` stores an encoded event in `<schema>.outbox`
/// inside the caller's transaction, so the event exists if and only if the change it describes
/// committed. `OutboxRelay` publishes the rows afterwards, in id order.
public struct Outbox: Sendable {
    public let schema: SQLIdentifier
    public let logger: Logger

    public init(schema: SQLIdentifier, logger: Logger) {
        self.schema = schema
        self.logger = logger
    }

    /// The `NOTIFY` channel the relay listens on.
    public var channel: String { "\(schema.name)_outbox" }

    /// Writes `record` (it must carry a `ce_id` header) in the transaction of `connection`.
    public func enqueue(_ record: KafkaRecord, on connection: PostgresConnection) async throws {
        try await enqueue([record], on: connection)
    }

    /// Writes `records` in the transaction of `connection`, in this order (the relay publishes them
    /// in it), with one `INSERT` and one `NOTIFY` whatever their number. Each must carry a `ce_id`
    /// header; if one does not, none is written.
    public func enqueue(_ records: [KafkaRecord], on connection: PostgresConnection) async throws {
        guard !records.isEmpty else { return }
        var ids: [String] = [], topics: [String] = [], headers: [String] = []
        var keys: [ByteBuffer] = [], keyIsNull: [Bool] = [], values: [ByteBuffer] = [], valueIsNull: [Bool] = []
        for record in records {
            guard let eventID = record.headers.first(where: { $0.name == CloudEventHeaderName.id })?.text, !eventID.isEmpty else {
                throw OutboxError.missingEventID(topic: record.topic)
            }
            ids.append(eventID)
            topics.append(record.topic)
            headers.append(OutboxHeaders.encode(record.headers))
            keys.append(ByteBuffer(bytes: record.key ?? []))
            keyIsNull.append(record.key == nil)
            values.append(ByteBuffer(bytes: record.value ?? []))
            valueIsNull.append(record.value == nil)
        }
        // bytea[] cannot carry NULL elements through the driver's array encoding: a parallel flag says
        // which key or value is absent (a tombstone has no value).
        try await connection.query(
            """
            INSERT INTO \(unescaped: schema.quoted).outbox (ce_id, topic, key, headers, value)
            SELECT ce_id, topic, CASE WHEN key_null THEN NULL ELSE key END, headers::jsonb, CASE WHEN value_null THEN NULL ELSE value END
            FROM unnest(\(ids)::text[], \(topics)::text[], \(keys)::bytea[], \(keyIsNull)::bool[], \(headers)::text[], \(values)::bytea[], \(valueIsNull)::bool[])
                WITH ORDINALITY AS r(ce_id, topic, key, key_null, headers, value, value_null, position)
            ORDER BY position
            """,
            logger: logger
        )
        try await connection.query("SELECT pg_notify(\(channel), '')", logger: logger)
    }
}

/// Headers as stored in the outbox's `headers` jsonb column: `[{"name": …, "value": base64}]`.
///
/// Written by hand rather than with `JSONEncoder` (the Codable path cost a tenth of a busy
/// producer's CPU); the relay lets Postgres take the column apart (``OutboxRelay``).
enum OutboxHeaders {
    static func encode(_ headers: [EventHeader]) -> String {
        var json = "["
        for (index, header) in headers.enumerated() {
            if index > 0 { json += "," }
            json += #"{"name":"#
            appendQuoted(header.name, to: &json)
            json += #","value":""#
            json += Data(header.value).base64EncodedString()
            json += #""}"#
        }
        return json + "]"
    }

    /// `text` as a JSON string literal: quotes, backslashes and control characters escaped.
    private static func appendQuoted(_ text: String, to json: inout String) {
        json += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": json += "\\\""
            case "\\": json += "\\\\"
            case _ where scalar.value < 0x20: json += String(format: "\\u%04x", scalar.value)
            default: json.unicodeScalars.append(scalar)
            }
        }
        json += "\""
    }
}

/// What went wrong with the outbox.
public enum OutboxError: Error, CustomStringConvertible {
    case missingEventID(topic: String)

    public var description: String {
        switch self {
        case .missingEventID(let topic):
            "an outbox record for \(topic) has no ce_id header; encode it with EventCodec so that duplicates can be recognised by id"
        }
    }
}
