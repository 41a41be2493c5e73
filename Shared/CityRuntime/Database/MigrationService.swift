import Logging
import PostgresNIO
import ServiceLifecycle

/// The lifecycle step that migrates the service's schema at start, then opens `migrated`.
///
/// While the database cannot be reached it retries with backoff (readiness says why); a
/// ``MigrationError`` ends the group so the process exits with a clear line. After success it
/// stays alive until shutdown, because a service returning early would stop the group.
public struct MigrationService: Service {
    public let runner: MigrationRunner
    public let client: PostgresClient
    public let migrated: StartupSignal
    public let logger: Logger

    public init(runner: MigrationRunner, client: PostgresClient, migrated: StartupSignal, logger: Logger) {
        self.runner = runner
        self.client = client
        self.migrated = migrated
        self.logger = logger
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await self.migrateWithRetry() }
        } catch is CancellationError {
            return
        }
        try? await gracefulShutdown()
    }

    private func migrateWithRetry() async throws {
        var delay = Duration.milliseconds(250)
        while true {
            do {
                let outcome = try await runner.apply(using: client, logger: logger)
                logger.info(
                    "schema is migrated",
                    metadata: ["schema": "\(runner.schema)", "version": "\(outcome.currentVersion)", "applied": "\(outcome.applied)"]
                )
                migrated.open()
                return
            } catch let error as MigrationError {
                throw error
            } catch where Task.isCancelled {
                throw CancellationError()
            } catch {
                logger.warning(
                    "database not reachable for migrations; retrying",
                    metadata: ["error": "\(PostgresErrorText.describe(error))", "retry_in": "\(delay)"]
                )
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }
}
