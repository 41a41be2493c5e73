import PostgresNIO

/// A one-line, log-safe account of a Postgres error: SQLSTATE and server message, never the query
/// or its bound values. postgres-nio keeps `description` generic on purpose; this says enough to act.
public enum PostgresErrorText {
    public static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else {
            return String(describing: error)
        }
        if let message = error.serverInfo?[.message] {
            let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            return message + state
        }
        return "\(error.code)" + (error.underlying.map { ": \($0)" } ?? "")
    }

    /// The SQLSTATE of a server error, e.g. `42501` for insufficient privilege.
    public static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// Whether the error came from the server rejecting a statement (as opposed to the connection).
    public static func isServerError(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo != nil
    }
}
