import CatalogCore
import CityEvents
import Logging
import ServiceLifecycle

/// Every `interval`, flips the late flag of datasets whose freshness changed (nothing arrived within
/// their update frequency plus the grace period, or they caught up) and publishes their snapshots.
struct FreshnessChecker: Service {
    let freshness: FreshnessRepository
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await freshness.checkAll(now: .now())
            } catch {
                logger.warning("freshness check failed; retrying at the next interval", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
