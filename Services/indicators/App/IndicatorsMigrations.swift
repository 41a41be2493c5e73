import CityRuntime

/// The indicators schema, in order. Never edit a shipped migration; append a new one.
enum IndicatorsMigrations {
    static let all: [Migration] = [
        Migration(
            version: 1,
            name: "hourly_means",
            sql: """
                -- Running sums per source, quantity and hour: the mean is total / samples, and a late
                -- observation updates its hour in place. Feeds the hourly AQI and the NowCast.
                CREATE TABLE hourly_means (
                    dataset_id text NOT NULL,
                    source_id text NOT NULL,
                    quantity text NOT NULL,
                    hour_start timestamptz NOT NULL CHECK (date_trunc('hour', hour_start) = hour_start),
                    total double precision NOT NULL,
                    samples integer NOT NULL CHECK (samples > 0),
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (dataset_id, source_id, quantity, hour_start)
                );
                """
        )
    ]
}
