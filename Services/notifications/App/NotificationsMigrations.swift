import CityRuntime

/// The notifications schema, in order. Never edit a shipped migration; append a new one.
///
/// The SQL of versions 1–2 uses unqualified names (migrations run with `search_path` set to the
/// service's schema); the shared pattern tables (`kafka_offsets` of the fan-out sink, `outbox` of the
/// delivery outcomes) take the schema explicitly, so the list depends on it.
enum NotificationsMigrations {
    static func all(schema: SQLIdentifier) -> [Migration] {
        [
            Migration(version: 1, name: "subscriptions", sql: subscriptions),
            Migration(version: 2, name: "deliveries", sql: deliveries),
            KafkaOffsetsMigration.migration(version: 3, schema: schema),
            OutboxMigration.migration(version: 4, schema: schema),
            Migration(version: 5, name: "throttling", sql: throttling),
            Migration(version: 6, name: "delivery row storage", sql: deliveryStorage),
            Migration(version: 7, name: "key order index for the skip scan", sql: keyOrderIndex),
        ]
    }

    /// The statuses that are not queued, as the `<> ALL` list of ``keyOrderIndex``'s predicate (with
    /// the table's CHECK constraint, "not one of these" is "pending or failed").
    static let finishedOrWaitingStatuses = "{succeeded,dead,forbidden,held,superseded}"

    /// The claim's skip scan over keys walks `deliveries_order_idx`; with the same predicate as the
    /// queue index, statistics taken while the queue was empty (both indexes estimated at one row)
    /// let the planner walk the queue index instead and sort the whole queue at every step — a claim
    /// read the queue thousands of times over. The order index's predicate now says the same thing in
    /// another form, which the skip scan repeats word for word and the queue index's predicate does not
    /// follow from, so the skip scan can only use this index, whatever the statistics say.
    private static let keyOrderIndex = """
        DROP INDEX deliveries_order_idx;
        CREATE INDEX deliveries_order_idx ON deliveries (subscription_id, key, seq)
            WHERE status <> ALL ('\(finishedOrWaitingStatuses)'::text[]);
        """

    /// Every delivery row is written three times (queued, claimed, finished). Free room on each page
    /// (fill factor 75) lets the claim — which changes no indexed column — be a HOT update that
    /// touches no index; the global uniqueness of `seq` was never used (order is per subscription,
    /// through the partial indexes), and its index cost every insert and non-HOT update.
    private static let deliveryStorage = """
        ALTER TABLE deliveries SET (fillfactor = 75);
        ALTER TABLE deliveries DROP CONSTRAINT deliveries_seq_key;
        """

    /// Throttling per subscription: at most one delivery per `throttle_seconds` and key, the latest
    /// event winning (Core's `Throttle`). A held delivery waits as `held` until its key's interval
    /// ends; a held one replaced by a newer event, or an event older than one already delivered,
    /// ends as `superseded`. `throttle_states` is the throttle's memory per (subscription, key),
    /// locked `FOR UPDATE` by whoever decides for the key, so replicas never decide twice.
    private static let throttling = """
        ALTER TABLE subscriptions ADD COLUMN throttle_seconds integer NOT NULL DEFAULT 0
            CHECK (throttle_seconds BETWEEN 0 AND 86400);
        ALTER TABLE deliveries DROP CONSTRAINT deliveries_status_check;
        ALTER TABLE deliveries ADD CONSTRAINT deliveries_status_check
            CHECK (status IN ('pending', 'failed', 'succeeded', 'dead', 'forbidden', 'held', 'superseded'));
        CREATE TABLE throttle_states (
            subscription_id uuid NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
            key text NOT NULL,
            state jsonb NOT NULL,
            release_at timestamptz,
            PRIMARY KEY (subscription_id, key)
        );
        CREATE INDEX throttle_states_release_idx ON throttle_states (release_at) WHERE release_at IS NOT NULL;
        """

    /// A subscribing agency's filter and webhook channel, its signing secrets and its delivery health.
    /// The secrets sign every delivery (Standard Webhooks HMAC), so they are stored as they are, not
    /// hashed; they are shown to the agency only when created or rotated and never logged.
    private static let subscriptions = """
        CREATE TABLE subscriptions (
            id uuid PRIMARY KEY,
            agency_id text NOT NULL,
            filter jsonb NOT NULL,
            channel_type text NOT NULL DEFAULT 'webhook' CHECK (channel_type IN ('webhook')),
            webhook_url text NOT NULL,
            secret_current text NOT NULL,
            secret_previous text,
            secret_previous_expires_at timestamptz,
            status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'suspended')),
            consecutive_failures integer NOT NULL DEFAULT 0,
            consecutive_failed_attempts integer NOT NULL DEFAULT 0,
            last_success_at timestamptz,
            last_failure_at timestamptz,
            last_error text,
            suspended_at timestamptz,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX subscriptions_agency_id_idx ON subscriptions (agency_id);
        """

    /// The delivery queue and log in one table: a row per (subscription, event), its id the
    /// Standard Webhooks `webhook-id`. `pending` (never tried) and `failed` (a retry is scheduled)
    /// rows are the queue; `seq` keeps arrival order per (subscription, key); a worker holds a row by
    /// `lease_until` / `lease_token` while it sends.
    private static let deliveries = """
        CREATE TABLE deliveries (
            id text PRIMARY KEY,
            seq bigserial NOT NULL UNIQUE,
            subscription_id uuid NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
            event_id text NOT NULL,
            event_type text NOT NULL,
            dataset_id text NOT NULL,
            key text NOT NULL,
            event_time timestamptz NOT NULL,
            body text NOT NULL,
            status text NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'failed', 'succeeded', 'dead', 'forbidden')),
            attempts integer NOT NULL DEFAULT 0,
            next_attempt_at timestamptz NOT NULL DEFAULT now(),
            lease_until timestamptz,
            lease_token uuid,
            last_response_code integer,
            last_latency_ms integer,
            last_error text,
            created_at timestamptz NOT NULL DEFAULT now(),
            updated_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX deliveries_queue_idx ON deliveries (subscription_id, seq) WHERE status IN ('pending', 'failed');
        CREATE INDEX deliveries_order_idx ON deliveries (subscription_id, key, seq) WHERE status IN ('pending', 'failed');
        CREATE INDEX deliveries_log_idx ON deliveries (subscription_id, seq DESC);
        CREATE INDEX deliveries_event_time_idx ON deliveries (subscription_id, event_time);
        """
}
