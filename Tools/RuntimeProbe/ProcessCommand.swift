import ArgumentParser
import CityKafka
import CityRuntime
import Logging

/// `process`: the at-least-once processor; prints `processed VALUE` per record handled. Values listed
/// in `--fail-values` always fail (→ dead letter after the retries); values that are not UTF-8 text do
/// not decode (→ dead letter at once).
struct ProcessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "process", abstract: "At-least-once processor with retries and dead letters.")

    @Option var topic: String
    @Option var group: String
    @Option(help: "Comma-separated values whose handler always fails.") var failValues: String = ""
    @Option var retries: Int = 2
    @Option var backoffMs: Int = 20
    @Option(help: "Time the handler takes per record.") var delayMs: Int = 0

    func run() async throws {
        let environment = try ProbeEnvironment(label: "runtime-probe.process")
        let logger = environment.logger
        let failing = Set(failValues.split(separator: ",").map(String.init))
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: environment.kafkaClient), logger: logger)
        var consumer = KafkaConsumerConfiguration(client: environment.kafkaClient, groupID: group, topics: [topic])
        consumer.offsetStorage = .kafka(commitInterval: .seconds(1))
        let delay = Duration.milliseconds(delayMs)
        let processor = RecordProcessor<String>(
            consumer: consumer,
            retry: RetryPolicy(maxRetries: retries, initialBackoff: .milliseconds(backoffMs)),
            deadLetters: DeadLetterPublisher(producer: producer, consumerGroup: group, source: "/city/runtime-probe"),
            logger: logger,
            decode: { record in
                guard let bytes = record.value, let text = String(validating: bytes, as: UTF8.self) else { throw NotText() }
                return text
            },
            handle: { value, _ in
                if failing.contains(value) { throw ProbeFailure(value: value) }
                if delay > .zero { try await Task.sleep(for: delay) }
                emit("processed \(value)")
            }
        )
        emit("process started")
        do {
            try await runStandaloneServices([processor], logger: logger)
        } catch {
            await producer.shutdown()
            throw error
        }
        await producer.shutdown()
        emit("process stopped")
    }
}

struct NotText: Error, CustomStringConvertible {
    var description: String { "the value is not UTF-8 text" }
}

struct ProbeFailure: Error, CustomStringConvertible {
    let value: String
    var description: String { "value \(value) is configured to fail" }
}
