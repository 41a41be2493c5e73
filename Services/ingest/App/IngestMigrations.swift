import CityRuntime

/// The ingest schema, in order. Never edit a shipped migration; append a new one.
enum IngestMigrations {
    static let all: [Migration] = [
        Migration(
            version: 1,
            name: "batches",
            sql: """
                -- One row per accepted POST /v1/observations, answered again for the same Idempotency-Key.
                CREATE TABLE batches (
                    id uuid PRIMARY KEY,
                    agency_id text NOT NULL,
                    idempotency_key text,
                    received_at timestamptz NOT NULL DEFAULT now(),
                    accepted integer NOT NULL CHECK (accepted >= 0),
                    rejected integer NOT NULL CHECK (rejected >= 0),
                    errors jsonb NOT NULL DEFAULT '[]'::jsonb,
                    UNIQUE (agency_id, idempotency_key)
                );
                CREATE INDEX batches_received_at_idx ON batches (received_at);
                """
        ),
        Migration(
            version: 2,
            name: "observation archive",
            sql: """
                -- What the upload answered (replayed for a repeated Idempotency-Key) and its HTTP status.
                ALTER TABLE batches
                    ADD COLUMN status_code smallint NOT NULL DEFAULT 202,
                    ADD COLUMN duplicates integer NOT NULL DEFAULT 0 CHECK (duplicates >= 0),
                    ADD COLUMN dataset_ids text[] NOT NULL DEFAULT '{}',
                    ADD COLUMN summary jsonb;

                -- Every accepted observation, once (the key includes the partition column), partitioned by
                -- month of observation time; the archive consumer creates partitions as months appear.
                CREATE TABLE observations (
                    observation_id text NOT NULL,
                    dataset_id text NOT NULL,
                    agency_id text NOT NULL,
                    source_id text NOT NULL,
                    observed_at timestamptz NOT NULL,
                    utc_offset_minutes smallint NOT NULL,
                    lat double precision,
                    lon double precision,
                    area_code text,
                    measurements jsonb NOT NULL,
                    archived_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (observation_id, observed_at)
                ) PARTITION BY RANGE (observed_at);
                CREATE INDEX observations_dataset_time_idx ON observations (dataset_id, observed_at, source_id, observation_id);
                """
        ),
        // Offsets of the archive consumer, committed in the same transaction as the rows it wrote.
        KafkaOffsetsMigration.migration(version: 3),
        Migration(
            version: 4,
            name: "archive keyed in time order",
            sql: """
                -- One B-tree instead of two. The key (observation_id, observed_at) led with a random id, so
                -- every row landed on a random page of a second index besides the export index, and COPY
                -- into the table ran at about 0.6 of a bare table's rate. The export index with
                -- observation_id appended is unique exactly when the id is: the id is derived from
                -- (dataset, source, instant), so equal ids have equal leading columns, and rows whose
                -- instants differ only below the microsecond (equal observed_at) still differ in the id.
                -- Rows arrive roughly in time order, so inserts stay near the index's right edge.
                -- Built before the old key is dropped, so uniqueness holds throughout; the build blocks
                -- writes to the archive while it indexes the rows already there (docs/ingest.md).
                CREATE UNIQUE INDEX observations_identity_key ON observations (dataset_id, observed_at, source_id, observation_id);
                ALTER TABLE observations DROP CONSTRAINT observations_pkey;
                DROP INDEX observations_dataset_time_idx;
                """
        ),
    ]
}
