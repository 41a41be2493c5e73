import CityEvents
import CityRuntime
import IndicatorsCore

/// The indicators service's own configuration, from the environment.
///
/// | variable | default | |
/// |---|---|---|
/// | `INDICATORS_TIME_ZONE` | `Asia/Ho_Chi_Minh` | IANA zone of the local hours and days |
/// | `INDICATORS_LATENESS_HORIZON_HOURS` | `48` | how far behind its source's newest an observation may be |
/// | `INDICATORS_OBSERVATIONS_TOPIC` | `city.observations.v1` | topic consumed (dead letters go to `<topic>.dlq`) |
/// | `INDICATORS_MAX_BATCH` | `500` | records per consumer transaction |
struct IndicatorsSettings: Sendable {
    let clock: LocalClock
    let lateness: LatenessPolicy
    let observationsTopic: String
    let maxBatch: Int

    init(from environment: EnvironmentReader) throws(ConfigurationError) {
        let zone = environment.optional("INDICATORS_TIME_ZONE") ?? "Asia/Ho_Chi_Minh"
        do {
            clock = try LocalClock(identifier: zone)
        } catch {
            throw ConfigurationError(variable: "INDICATORS_TIME_ZONE", expectation: "an IANA time zone such as Asia/Ho_Chi_Minh", received: zone)
        }
        let horizon = try environment.int("INDICATORS_LATENESS_HORIZON_HOURS", default: 48, range: 1...24 * 30)
        lateness = LatenessPolicy(horizonSeconds: Int64(horizon) * 3_600, futureToleranceSeconds: LatenessPolicy.standard.futureToleranceSeconds)
        let topic = environment.optional("INDICATORS_OBSERVATIONS_TOPIC") ?? TopicName.observations
        guard !topic.isEmpty, !topic.hasSuffix(TopicName.deadLetterSuffix) else {
            throw ConfigurationError(variable: "INDICATORS_OBSERVATIONS_TOPIC", expectation: "a topic name that is not a dead-letter topic", received: topic)
        }
        observationsTopic = topic
        maxBatch = try environment.int("INDICATORS_MAX_BATCH", default: 500, range: 1...10_000)
    }
}
