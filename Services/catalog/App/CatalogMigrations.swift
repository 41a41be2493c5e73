import CityRuntime

/// The catalog schema, in order. Never edit a shipped migration; append a new one.
enum CatalogMigrations {
    static let all: [Migration] = [
        Migration(
            version: 1,
            name: "agencies",
            sql: """
                -- The agencies that publish or subscribe; the source of city.catalog.agencies.v1.
                CREATE TABLE agencies (
                    id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
                    name text NOT NULL CHECK (length(name) > 0),
                    name_en text,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now()
                );
                """
        )
    ]
}
