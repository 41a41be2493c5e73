import CityRuntime

/// The indicators schema, in order. Never edit a shipped migration; append a new one.
///
/// The offsets and outbox tables are the shared runtime patterns, qualified with the schema the
/// process runs in (`DATABASE_SCHEMA`), so the list is built for that schema.
enum IndicatorsMigrations {
    static func all(schema: SQLIdentifier) -> [Migration] {
        [
            Migration(version: 1, name: "indicator_state", sql: stateSQL),
            KafkaOffsetsMigration.migration(version: 2, schema: schema),
            OutboxMigration.migration(version: 3, schema: schema),
        ]
    }

    static let stateSQL = """
        -- Running aggregates per source, quantity and local clock hour: the mean is sum / count, and a
        -- late observation updates its hour in place. Feeds every hourly and daily indicator.
        CREATE TABLE hourly_aggregates (
            source_id text NOT NULL,
            quantity text NOT NULL,
            hour_start timestamptz NOT NULL,
            sum double precision NOT NULL,
            count integer NOT NULL CHECK (count > 0),
            minimum double precision NOT NULL,
            maximum double precision NOT NULL,
            first_observed_at timestamptz NOT NULL,
            last_observed_at timestamptz NOT NULL,
            PRIMARY KEY (source_id, hour_start, quantity)
        );

        -- Per source: event-time progress (newest observation accepted), the dataset and the latest
        -- location (for the GeoJSON of the latest air quality and the area filter).
        CREATE TABLE sources (
            source_id text PRIMARY KEY,
            dataset_id text NOT NULL,
            watermark timestamptz NOT NULL,
            lat double precision,
            lon double precision,
            area_code text,
            located_at timestamptz
        );
        CREATE INDEX sources_area_code_idx ON sources (area_code);

        -- Observation ids already added to the aggregates: a redelivered observation (same id, another
        -- offset) is not counted twice. Rows older than the lateness horizon are pruned.
        CREATE TABLE observation_inbox (
            observation_id text PRIMARY KEY,
            source_id text NOT NULL,
            observed_at timestamptz NOT NULL
        );
        CREATE INDEX observation_inbox_source_time_idx ON observation_inbox (source_id, observed_at);

        -- The last published version of every value, with what the API serves; `content` is the
        -- core's ValueContent (what a revision compares).
        CREATE TABLE indicator_values (
            value_id text PRIMARY KEY,
            indicator_id text NOT NULL,
            source_id text NOT NULL,
            period_start timestamptz NOT NULL,
            period_end timestamptz NOT NULL,
            version integer NOT NULL CHECK (version > 0),
            value double precision NOT NULL,
            unit text NOT NULL,
            category text,
            category_vi text,
            category_en text,
            colour text,
            complete boolean NOT NULL,
            dominant_pollutant text,
            components jsonb NOT NULL,
            content jsonb NOT NULL,
            dataset_id text NOT NULL,
            computed_at timestamptz NOT NULL
        );
        CREATE INDEX indicator_values_indicator_period_idx ON indicator_values (indicator_id, period_start);
        CREATE INDEX indicator_values_source_period_idx ON indicator_values (source_id, period_start);

        -- Hysteresis state of each alert rule per source (the core's AlertState as JSON).
        CREATE TABLE alert_states (
            indicator_id text NOT NULL,
            source_id text NOT NULL,
            state jsonb NOT NULL,
            PRIMARY KEY (indicator_id, source_id)
        );
        """
}
