import Foundation
import PostgresNIO

/// A parsed `postgres://user:password@host:port/database?sslmode=disable|require` URL.
///
/// `description` redacts the password, so a `DatabaseURL` may be logged. `clientConfiguration`
/// turns it into the `PostgresClient` configuration the runtime uses (connect timeout, TLS when
/// `sslmode=require`, and the search path of the service's schema).
public struct DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    /// Whether the connection is encrypted.
    public enum SSLMode: String, Sendable, Equatable {
        case disable
        case require
    }

    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode

    /// What ``parse(_:)`` accepts, phrased for configuration errors.
    public static let expectation = "a URL postgres://user:password@host:port/database?sslmode=disable|require"

    public init(host: String, port: Int = 5432, username: String, password: String?, database: String, sslMode: SSLMode = .disable) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.sslMode = sslMode
    }

    /// Parses `text`; returns `nil` unless it has the scheme `postgres` or `postgresql`, a host,
    /// a user, a database, a port in 1–65535 when given, and at most the `sslmode` query item.
    public static func parse(_ text: String) -> DatabaseURL? {
        guard let components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql",
            let host = components.host, !host.isEmpty,
            let user = components.user, !user.isEmpty
        else { return nil }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else { return nil }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { return nil }
        var sslMode = SSLMode.disable
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode", let value = item.value, let mode = SSLMode(rawValue: value) else { return nil }
            sslMode = mode
        }
        return DatabaseURL(
            host: host,
            port: port,
            username: components.percentEncodedUser.flatMap { $0.removingPercentEncoding } ?? user,
            password: components.percentEncodedPassword.flatMap { $0.removingPercentEncoding },
            database: database.removingPercentEncoding ?? database,
            sslMode: sslMode
        )
    }

    /// The URL with the password replaced by `***`.
    public var description: String {
        let secret = password == nil ? "" : ":***"
        return "postgres://\(username)\(secret)@\(host):\(port)/\(database)?sslmode=\(sslMode.rawValue)"
    }

    /// The URL as text, password included: for handing to a child process, never for logs.
    public var unredactedString: String {
        var components = URLComponents()
        components.scheme = "postgres"
        components.user = username
        components.password = password
        components.host = host
        components.port = port
        components.path = "/" + database
        components.queryItems = [URLQueryItem(name: "sslmode", value: sslMode.rawValue)]
        return components.string ?? description
    }

    /// The `PostgresClient` configuration for this URL.
    /// - Parameters:
    ///   - searchPath: schema(s) set as `search_path` at connection start, e.g. the service's schema.
    ///   - applicationName: shown in `pg_stat_activity`.
    ///   - connectTimeout: how long to wait for a connection before a query fails.
    public func clientConfiguration(
        searchPath: SQLIdentifier? = nil,
        applicationName: String? = nil,
        connectTimeout: Duration = .seconds(5)
    ) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS =
            switch sslMode {
            case .disable: .disable
            case .require: .require(.makeClientConfiguration())
            }
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls
        )
        configuration.options.connectTimeout = connectTimeout
        var parameters: [(String, String)] = []
        if let searchPath { parameters.append(("search_path", searchPath.name)) }
        if let applicationName { parameters.append(("application_name", applicationName)) }
        configuration.options.additionalStartupParameters = parameters
        return configuration
    }
}
