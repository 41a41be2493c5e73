import CityRuntime

/// The catalog's own configuration, from the environment.
///
/// | variable | default | |
/// |---|---|---|
/// | `ADMIN_TOKEN` | required | the administration bearer token, at least 32 characters |
/// | `PUBLIC_INGEST_URL` | `http://localhost:8081` | base of the ingest export URLs in CKAN and DCAT |
/// | `PUBLIC_CATALOG_URL` | `http://localhost:8082` | base of the catalog's own URLs (DCAT node ids) |
/// | `FRESHNESS_GRACE` | 900 (seconds; `2.5s`, `500ms` accepted) | time allowed beyond a dataset's update frequency before it is late |
/// | `FRESHNESS_CHECK_INTERVAL` | 60 s | how often lateness is re-evaluated |
struct CatalogSettings: Sendable {
    let adminToken: String
    let publicIngestURL: String
    let publicCatalogURL: String
    let freshnessGrace: Duration
    let freshnessCheckInterval: Duration

    init(from environment: EnvironmentReader) throws(ConfigurationError) {
        adminToken = try environment.parsed("ADMIN_TOKEN", expecting: "a secret of at least 32 characters", secret: true) { value in
            value.count >= 32 ? value : nil
        }
        publicIngestURL = try Self.baseURL("PUBLIC_INGEST_URL", default: "http://localhost:8081", environment)
        publicCatalogURL = try Self.baseURL("PUBLIC_CATALOG_URL", default: "http://localhost:8082", environment)
        freshnessGrace = try environment.duration("FRESHNESS_GRACE", default: .seconds(900), range: .zero ... .seconds(7 * 86_400))
        freshnessCheckInterval = try environment.duration("FRESHNESS_CHECK_INTERVAL", default: .seconds(60), range: .milliseconds(100) ... .seconds(3_600))
    }

    /// An http(s) URL without a trailing slash.
    private static func baseURL(_ name: String, default defaultValue: String, _ environment: EnvironmentReader) throws(ConfigurationError) -> String {
        let value = environment.optional(name) ?? defaultValue
        guard value.hasPrefix("http://") || value.hasPrefix("https://") else {
            throw ConfigurationError(variable: name, expectation: "an http:// or https:// URL", received: value)
        }
        return value.hasSuffix("/") ? String(value.dropLast()) : value
    }
}
