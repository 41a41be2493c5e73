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
        )
    ]
}
