import CityRuntime
import Foundation
import NotificationsCore

/// The notifications service's own configuration, read from the environment at start (the runtime
/// reads the common variables). Every variable has a production default.
struct NotificationsSettings: Sendable {
    /// Which webhook targets are allowed (`WEBHOOK_ALLOW_PRIVATE_NETWORKS`, `WEBHOOK_REQUIRE_HTTPS`).
    var destinations: DestinationPolicy
    /// When failed deliveries are retried (`WEBHOOK_RETRY_SCHEDULE`, `WEBHOOK_RETRY_JITTER`).
    var retries: RetrySchedule
    /// When a failing subscription is suspended (`WEBHOOK_SUSPEND_AFTER`).
    var health: HealthPolicy
    /// The limit of one attempt, connection to last response byte (`WEBHOOK_TIMEOUT_SECONDS`).
    var attemptTimeout: Duration
    /// How much of a response body is read before the connection is dropped (`WEBHOOK_MAX_RESPONSE_BYTES`).
    var maxResponseBytes: Int
    /// Deliveries in flight in this process (`DELIVERY_CONCURRENCY`).
    var concurrency: Int
    /// Deliveries in flight per subscription in this process (`DELIVERY_CONCURRENCY_PER_SUBSCRIPTION`).
    var concurrencyPerSubscription: Int
    /// Deliveries claimed ahead of free slots in this process, waiting in memory (`DELIVERY_PREFETCH`,
    /// default 3 × `DELIVERY_CONCURRENCY`; 0 claims only for free slots). Per subscription at most
    /// 3 × its concurrency, and none for a subscription whose slots are all busy.
    var prefetch: Int
    /// Events the fan-out reads into one transaction at most (`FANOUT_MAX_BATCH`).
    var fanoutMaxBatch: Int
    /// How often an idle worker looks for due deliveries (`DELIVERY_POLL_INTERVAL_SECONDS`).
    var pollInterval: Duration
    /// How long the previous secret keeps signing after a rotation (`SECRET_ROTATION_OVERLAP_SECONDS`).
    var rotationOverlap: Duration

    init(environment: EnvironmentReader) throws(ConfigurationError) {
        do {
            destinations = try DestinationPolicy(environment: environment.values)
        } catch {
            throw ConfigurationError(variable: error.variable, expectation: "true or false", received: error.value)
        }
        let jitter = try environment.int("WEBHOOK_RETRY_JITTER_PERCENT", default: 20, range: 0...100)
        if let text = environment.optional("WEBHOOK_RETRY_SCHEDULE") {
            guard let delays = RetryScheduleText.parse(text), let schedule = try? RetrySchedule(delays: delays, jitter: Double(jitter) / 100) else {
                throw ConfigurationError(
                    variable: "WEBHOOK_RETRY_SCHEDULE", expectation: "a comma-separated list of delays such as 5s,30s,2m,10m,1h", received: text
                )
            }
            retries = schedule
        } else {
            retries = (try? RetrySchedule(delays: RetrySchedule.standard.delays, jitter: Double(jitter) / 100)) ?? .standard
        }
        health = HealthPolicy(suspendAfterConsecutiveFailures: try environment.int("WEBHOOK_SUSPEND_AFTER", default: 20, range: 1...10_000))
        attemptTimeout = try environment.duration("WEBHOOK_TIMEOUT_SECONDS", default: .seconds(10), range: .milliseconds(100)...(.seconds(120)))
        maxResponseBytes = try environment.int("WEBHOOK_MAX_RESPONSE_BYTES", default: 64 * 1024, range: 0...(16 * 1024 * 1024))
        concurrency = try environment.int("DELIVERY_CONCURRENCY", default: 64, range: 1...4096)
        concurrencyPerSubscription = try environment.int("DELIVERY_CONCURRENCY_PER_SUBSCRIPTION", default: 16, range: 1...1024)
        prefetch = try environment.int("DELIVERY_PREFETCH", default: 3 * concurrency, range: 0...65_536)
        fanoutMaxBatch = try environment.int("FANOUT_MAX_BATCH", default: 500, range: 1...20_000)
        pollInterval = try environment.duration("DELIVERY_POLL_INTERVAL_SECONDS", default: .milliseconds(100), range: .milliseconds(5)...(.seconds(10)))
        rotationOverlap = try environment.duration("SECRET_ROTATION_OVERLAP_SECONDS", default: .seconds(86_400), range: .zero...(.seconds(30 * 86_400)))
    }
}

/// The text form of a retry schedule: `5s,30s,2m,10m,1h` (units `ms`, `s`, `m`, `h`).
enum RetryScheduleText {
    static func parse(_ text: String) -> [Duration]? {
        var delays: [Duration] = []
        for item in text.split(separator: ",") {
            let part = item.trimmingCharacters(in: .whitespaces)
            let units: [(suffix: String, milliseconds: Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
            guard let unit = units.first(where: { part.hasSuffix($0.suffix) && Int64(part.dropLast($0.suffix.count)) != nil }),
                let count = Int64(part.dropLast(unit.suffix.count)), count >= 0
            else { return nil }
            delays.append(.milliseconds(count * unit.milliseconds))
        }
        return delays
    }
}
