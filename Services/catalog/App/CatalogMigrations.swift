import CityRuntime

/// The catalog schema, in order. Never edit a shipped migration; append a new one.
///
/// Tables are unqualified (migrations run with `search_path` set to the schema); the shared pattern
/// tables (outbox) name the schema, so the list is built for the schema the process runs on.
enum CatalogMigrations {
    static func all(schema: SQLIdentifier) -> [Migration] {
        [
            Migration(
                version: 1,
                name: "agencies",
                sql: """
                    -- The agencies that publish or subscribe; the source of city.catalog.agencies.v1.
                    CREATE TABLE agencies (
                        id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
                        name text NOT NULL CHECK (length(name) > 0),
                        name_en text NOT NULL DEFAULT '',
                        created_at timestamptz NOT NULL DEFAULT now(),
                        updated_at timestamptz NOT NULL
                    );
                    -- API keys: only the hash of the key is kept; revoked keys stay (with revoked_at) so that
                    -- every snapshot lists them and replicas stop accepting them.
                    CREATE TABLE api_keys (
                        key_id text PRIMARY KEY,
                        agency_id text NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
                        hash text NOT NULL,
                        role text NOT NULL CHECK (role IN ('publisher', 'subscriber', 'both')),
                        created_at timestamptz NOT NULL,
                        revoked_at timestamptz
                    );
                    CREATE INDEX api_keys_agency ON api_keys (agency_id);
                    """
            ),
            Migration(
                version: 2,
                name: "datasets",
                sql: """
                    -- A dataset's description is its snapshot (document, without freshness); the other columns
                    -- are what filters and search need. The *_folded columns hold lowercase text without
                    -- diacritics (folded in Swift: unaccent would need a superuser).
                    CREATE TABLE datasets (
                        id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
                        agency_id text NOT NULL REFERENCES agencies (id),
                        theme text NOT NULL,
                        access_level text NOT NULL CHECK (access_level IN ('public', 'restricted')),
                        document jsonb NOT NULL,
                        title_folded text NOT NULL,
                        keywords_folded text NOT NULL,
                        description_folded text NOT NULL,
                        search tsvector GENERATED ALWAYS AS (
                            setweight(to_tsvector('simple', title_folded), 'A')
                            || setweight(to_tsvector('simple', keywords_folded), 'B')
                            || setweight(to_tsvector('simple', description_folded), 'C')
                        ) STORED,
                        created_at timestamptz NOT NULL DEFAULT now(),
                        updated_at timestamptz NOT NULL
                    );
                    CREATE INDEX datasets_search ON datasets USING gin (search);
                    CREATE INDEX datasets_agency ON datasets (agency_id);
                    CREATE INDEX datasets_theme ON datasets (theme);
                    -- Grants share a restricted dataset with another agency; one per pair.
                    CREATE TABLE grants (
                        id text PRIMARY KEY,
                        dataset_id text NOT NULL REFERENCES datasets (id),
                        agency_id text NOT NULL REFERENCES agencies (id),
                        created_at timestamptz NOT NULL,
                        UNIQUE (dataset_id, agency_id)
                    );
                    CREATE INDEX grants_agency ON grants (agency_id);
                    """
            ),
            OutboxMigration.migration(version: 3, schema: schema),
            KafkaOffsetsMigration.migration(version: 4, schema: schema),
            Migration(
                version: 5,
                name: "freshness",
                sql: """
                    -- Freshness, kept by the observations consumer (exactly once, with kafka_offsets) and
                    -- the periodic checker; not part of the stored document, joined in when read.
                    ALTER TABLE datasets
                        ADD COLUMN last_observed_at timestamptz,
                        ADD COLUMN observations bigint NOT NULL DEFAULT 0,
                        ADD COLUMN late boolean NOT NULL DEFAULT false;
                    CREATE TABLE source_freshness (
                        dataset_id text NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
                        source_id text NOT NULL,
                        last_observed_at timestamptz NOT NULL,
                        observations bigint NOT NULL,
                        PRIMARY KEY (dataset_id, source_id)
                    );
                    """
            ),
            Migration(
                version: 6,
                name: "search tiers",
                sql: """
                    -- Relevance tiers (title / title or keywords / anywhere) read sparse tiers through
                    -- their own GIN index; windows walk (theme, id) or (agency, id) in order
                    -- (TieredSearchStatement, docs/catalog.md "Search").
                    CREATE INDEX datasets_search_title ON datasets USING gin (to_tsvector('simple', title_folded));
                    CREATE INDEX datasets_search_title_keywords ON datasets
                        USING gin ((to_tsvector('simple', title_folded) || to_tsvector('simple', keywords_folded)));
                    CREATE INDEX datasets_theme_id ON datasets (theme, id);
                    CREATE INDEX datasets_agency_id ON datasets (agency_id, id);
                    DROP INDEX datasets_theme;
                    DROP INDEX datasets_agency;
                    """
            ),
        ]
    }
}
