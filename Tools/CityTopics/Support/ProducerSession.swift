import CityKafka
import Logging

/// A producer for the tool's sends: durable (acks=all, idempotent), bounded by --timeout per record,
/// with Kafka errors turned into exit codes.
struct ProducerSession {
    let producer: KafkaProducer

    /// Opens a producer, runs `body`, flushes and shuts it down also when `body` throws.
    static func with<T>(_ session: ClusterSession, _ body: (ProducerSession) async throws -> T) async throws -> T {
        var configuration = KafkaProducerConfiguration(client: session.client)
        configuration.deliveryTimeout = max(session.timeout, .seconds(5))
        let producer: KafkaProducer
        do {
            producer = try KafkaProducer(configuration: configuration, logger: session.logger)
        } catch {
            throw ToolFailure(.usage, "the Kafka producer refused its settings: \(error)")
        }
        let result: Result<T, any Error>
        do { result = .success(try await body(ProducerSession(producer: producer))) } catch { result = .failure(error) }
        await producer.shutdown()
        return try result.get()
    }

    /// Sends the records (each acknowledged or failed) and returns the reports in order; the first
    /// failure ends the command with exit 4, saying how many were acknowledged before it.
    func send(_ records: [KafkaProducerRecord], what: String) async throws -> [KafkaDeliveryReport] {
        let outcomes = await producer.send(records)
        var reports: [KafkaDeliveryReport] = []
        for (index, outcome) in outcomes.enumerated() {
            switch outcome {
            case .success(let report): reports.append(report)
            case .failure(let error):
                let acknowledged = outcomes.filter { if case .success = $0 { return true } else { return false } }.count
                throw ToolFailure(.kafkaFailed, "\(what): record \(index + 1) of \(records.count) to \(records[index].topic) failed: \(error) (\(acknowledged) acknowledged)")
            }
        }
        return reports
    }
}
