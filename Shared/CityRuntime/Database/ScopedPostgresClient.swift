import Logging
import PostgresNIO

/// Runs a `PostgresClient` for the duration of `body` — for tools and tests that have no
/// `ServiceGroup`. The client's `run()` lives in a child task that is cancelled when `body` ends.
public func withPostgresClient<Result: Sendable>(
    _ configuration: PostgresClient.Configuration,
    logger: Logger,
    _ body: @Sendable (PostgresClient) async throws -> Result
) async throws -> Result {
    let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        return try await body(client)
    }
}
