import ArgumentParser
import CityKafka
import Foundation
import Logging
import Synchronization

/// `kafka-probe`: a small producer and consumer process that the tests start, stop and kill, so that
/// delivery guarantees are checked across real process boundaries.
@main
struct KafkaProbe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka-probe",
        abstract: "Produce or consume test records (used by the test suite).",
        subcommands: [Produce.self, Consume.self]
    )
}

struct ConnectionOptions: ParsableArguments {
    @Option(help: "Bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS).")
    var bootstrapServers: String?

    func resolved() throws -> String {
        if let bootstrapServers { return bootstrapServers }
        if let fromEnvironment = ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"] { return fromEnvironment }
        throw ValidationError("no --bootstrap-servers and no KAFKA_BOOTSTRAP_SERVERS")
    }
}

/// Logs to standard error at warning level, so standard output stays for results.
func probeLogger() -> Logger {
    var logger = Logger(label: "kafka-probe") { StreamLogHandler.standardError(label: $0) }
    logger.logLevel = .warning
    return logger
}

extension KafkaProbe {
    /// Sends `count` records keyed `key-<i % keys>` with value `<prefix>-<i>` and prints a summary.
    struct Produce: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send numbered records.",
            discussion: "Example: kafka-probe produce --topic t --count 10000"
        )
        @OptionGroup var connection: ConnectionOptions
        @Option var topic: String
        @Option var count: Int
        @Option var keys: Int = 16
        @Option var prefix: String = "record"
        @Option var batch: Int = 1_000

        func run() async throws {
            let producer = try KafkaProducer(
                configuration: KafkaProducerConfiguration(client: KafkaClientConfiguration(bootstrapServers: try connection.resolved(), clientID: "probe-producer")),
                logger: probeLogger()
            )
            var failures = 0
            var start = 0
            while start < count {
                let end = min(count, start + batch)
                let records = (start..<end).map { index in
                    KafkaProducerRecord(topic: topic, key: Array("key-\(index % keys)".utf8), value: Array("\(prefix)-\(index)".utf8))
                }
                for result in await producer.send(records) {
                    if case .failure(let error) = result {
                        failures += 1
                        FileHandle.standardError.write(Data("send failed: \(error)\n".utf8))
                    }
                }
                start = end
            }
            await producer.shutdown()
            print("produced \(count - failures) failed \(failures)")
            if failures > 0 { throw ExitCode(1) }
        }
    }

    /// Appends `partition offset key value` for each record to a file, then stores its offset:
    /// at-least-once. Stops after `--idle-seconds` without records.
    struct Consume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Consume records into a file, at least once.",
            discussion: "Example: kafka-probe consume --topic t --group g --output seen.txt"
        )
        @OptionGroup var connection: ConnectionOptions
        @Option var topic: String
        @Option var group: String
        @Option var output: String
        @Option(help: "Sleep this many milliseconds after each record (to be killed mid-stream).")
        var delayMs: Int = 0
        @Option(help: "After the first record, exit after this many seconds without another.")
        var idleSeconds: Int = 10
        @Option(help: "Exit when no record came at all within this many seconds.")
        var firstRecordTimeout: Int = 90
        @Option(help: "The group's session timeout (a killed member is evicted after it).")
        var sessionTimeoutMs: Int = 6_000

        func run() async throws {
            if !FileManager.default.fileExists(atPath: output) {
                _ = FileManager.default.createFile(atPath: output, contents: nil)
            }
            guard let file = FileHandle(forWritingAtPath: output) else { throw ValidationError("cannot write \(output)") }
            file.seekToEndOfFile()
            var configuration = KafkaConsumerConfiguration(
                client: KafkaClientConfiguration(bootstrapServers: try connection.resolved(), clientID: "probe-consumer"),
                groupID: group, topics: [topic]
            )
            configuration.offsetStorage = .kafka(commitInterval: .milliseconds(200))
            configuration.sessionTimeout = .milliseconds(sessionTimeoutMs)
            let consumer = try KafkaConsumer(configuration: configuration, logger: probeLogger())
            let lastRecord = LastRecordClock()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await record in consumer.records {
                        let key = record.key.map { String(decoding: $0, as: UTF8.self) } ?? "-"
                        let value = record.value.map { String(decoding: $0, as: UTF8.self) } ?? "-"
                        file.write(Data("\(record.partition) \(record.offset) \(key) \(value)\n".utf8))
                        consumer.storeOffset(for: record)
                        lastRecord.touch()
                        if delayMs > 0 { try await Task.sleep(for: .milliseconds(delayMs)) }
                    }
                }
                group.addTask {
                    while lastRecord.shouldKeepWaiting(idle: Double(idleSeconds), first: Double(firstRecordTimeout)) {
                        try await Task.sleep(for: .milliseconds(200))
                    }
                    await consumer.close()
                }
                try await group.next()
                group.cancelAll()
            }
            await consumer.close()
            try file.close()
        }
    }
}

/// When the last record arrived, to stop a consumer that has run dry.
final class LastRecordClock: Sendable {
    private let started = ContinuousClock.now
    private let last = Mutex<ContinuousClock.Instant?>(nil)
    func touch() { last.withLock { $0 = .now } }

    /// True while records may still come: within `idle` seconds of the last one, or — before the
    /// first — within `first` seconds of the start (joining a group takes seconds).
    func shouldKeepWaiting(idle: Double, first: Double) -> Bool {
        let now = ContinuousClock.now
        if let last = last.withLock({ $0 }) { return seconds(now - last) < idle }
        return seconds(now - started) < first
    }

    private func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
