/// The offsets table of an exactly-once sink, as a migration a service appends to its list:
/// `<schema>.kafka_offsets(consumer_group, topic, partition, next_offset)`, written in the same
/// transaction as the sink's effect and read on every partition assignment.
public enum KafkaOffsetsMigration {
    public static func sql(schema: SQLIdentifier) -> String { sql(prefix: schema.quoted + ".") }

    /// The same table created in the migration's schema (migrations run with `search_path` set to it),
    /// for a service's static migration list.
    public static func migration(version: Int) -> Migration {
        Migration(version: version, name: "kafka_offsets", sql: sql(prefix: ""))
    }

    private static func sql(prefix: String) -> String {
        """
        CREATE TABLE \(prefix)kafka_offsets (
            consumer_group text NOT NULL,
            topic text NOT NULL,
            partition integer NOT NULL,
            next_offset bigint NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (consumer_group, topic, partition)
        );
        """
    }

    public static func migration(version: Int, schema: SQLIdentifier) -> Migration {
        Migration(version: version, name: "kafka_offsets", sql: sql(schema: schema))
    }
}

/// The inbox table for idempotent handling by event id: `<schema>.inbox(consumer, event_id)`.
public enum InboxMigration {
    public static func sql(schema: SQLIdentifier) -> String {
        """
        CREATE TABLE \(schema.quoted).inbox (
            consumer text NOT NULL,
            event_id text NOT NULL,
            received_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (consumer, event_id)
        );
        """
    }

    public static func migration(version: Int, schema: SQLIdentifier) -> Migration {
        Migration(version: version, name: "inbox", sql: sql(schema: schema))
    }
}

/// The transactional outbox table: `<schema>.outbox`, one row per event to publish, in id order;
/// `sent_at` is set once the broker acknowledged it.
public enum OutboxMigration {
    public static func sql(schema: SQLIdentifier) -> String {
        """
        CREATE TABLE \(schema.quoted).outbox (
            id bigserial PRIMARY KEY,
            ce_id text NOT NULL,
            topic text NOT NULL,
            key bytea,
            headers jsonb NOT NULL DEFAULT '[]',
            value bytea,
            created_at timestamptz NOT NULL DEFAULT now(),
            sent_at timestamptz
        );
        CREATE INDEX outbox_unsent ON \(schema.quoted).outbox (id) WHERE sent_at IS NULL;
        """
    }

    public static func migration(version: Int, schema: SQLIdentifier) -> Migration {
        Migration(version: version, name: "outbox", sql: sql(schema: schema))
    }
}
