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
                CREATE INDEX observations_dataset_time_idx ON observations (dataset_id, observed_at, source_id);
                """
        ),
        // Offsets of the archive consumer, committed in the same transaction as the rows it wrote.
        KafkaOffsetsMigration.migration(version: 3),
    ]
}
