import CityRuntime

/// The notifications schema, in order. Never edit a shipped migration; append a new one.
enum NotificationsMigrations {
    static let all: [Migration] = [
        Migration(
            version: 1,
            name: "subscriptions",
            sql: """
                -- A subscribing agency's filter and webhook channel; the secret signs deliveries
                -- (Standard Webhooks), so it is kept, and shown to the agency only at creation.
                CREATE TABLE subscriptions (
                    id uuid PRIMARY KEY,
                    agency_id text NOT NULL,
                    filter jsonb NOT NULL,
                    channel_type text NOT NULL CHECK (channel_type IN ('webhook')),
                    webhook_url text NOT NULL,
                    secret text NOT NULL,
                    active boolean NOT NULL DEFAULT true,
                    created_at timestamptz NOT NULL DEFAULT now()
                );
                CREATE INDEX subscriptions_agency_id_idx ON subscriptions (agency_id);
                """
        )
    ]
}
