import ArgumentParser
import CityKafka
import Foundation
import Logging
import Synchronization

/// `kafka-bench`: throughput of CityKafka's producer and consumer, for `make bench-kafka`, which runs
/// it beside `kcat` against the same dev cluster and reports the ratio.
@main
struct KafkaBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka-bench",
        abstract: "Measure CityKafka producer and consumer throughput.",
        subcommands: [Produce.self, Consume.self]
    )
}

/// One benchmark figure, printed as a JSON line.
struct BenchResult: Codable {
    var operation: String
    var records: Int
    var seconds: Double
    var recordsPerSecond: Double
    var steadySeconds: Double?
    var steadyRecordsPerSecond: Double?
    var peakResidentMB: Double
}

func peakResidentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first ?? -1
        return kilobytes / 1024
    }
    return -1
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func printResult(_ result: BenchResult) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    print(String(decoding: try encoder.encode(result), as: UTF8.self))
}

func benchLogger() -> Logger {
    var logger = Logger(label: "kafka-bench") { StreamLogHandler.standardError(label: $0) }
    logger.logLevel = .warning
    return logger
}

extension KafkaBench {
    struct Produce: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send N records of a given size, several batches in flight.",
            discussion: "Example: kafka-bench produce --bootstrap-servers 127.0.0.1:9092 --topic bench --count 1000000"
        )
        @Option var bootstrapServers: String
        @Option var topic: String
        @Option var count: Int = 1_000_000
        @Option(help: "Value size in bytes.") var size: Int = 250
        @Option(help: "Records per send call.") var batch: Int = 10_000
        @Option(help: "Send calls in flight at once.") var concurrency: Int = 4
        @Option(help: "librdkafka's local queue bound in KB (queue.buffering.max.kbytes).") var queueKilobytes: Int = 64 * 1024

        func run() async throws {
            var configuration = KafkaProducerConfiguration(client: KafkaClientConfiguration(bootstrapServers: bootstrapServers, clientID: "bench-producer", statisticsInterval: nil))
            configuration.maxQueuedKilobytes = queueKilobytes
            let producer = try KafkaProducer(configuration: configuration, logger: benchLogger())
            let template = Array(repeating: UInt8(ascii: "x"), count: size)
            let keys = (0..<1_000).map { Array("station-\($0)".utf8) }
            // Payloads are made before the clock starts (10,000 distinct values, reused), so the figure is
            // the producer's, not the cost of building byte arrays; librdkafka copies each one anyway.
            let values = (0..<10_000).map { index -> [UInt8] in
                var value = template
                var number = index
                for position in 0..<min(8, self.size) {
                    value[position] = UInt8(ascii: "0") + UInt8(number % 10)
                    number /= 10
                }
                return value
            }
            let next = Counter()
            let failures = Counter()
            let (count, batch, topic) = (self.count, self.batch, self.topic)
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<concurrency {
                    group.addTask {
                        while true {
                            let range = next.value.withLock { current -> Range<Int> in
                                let lower = current
                                current = min(count, current + batch)
                                return lower..<current
                            }
                            if range.isEmpty { return }
                            let records = range.map { index in
                                KafkaProducerRecord(topic: topic, key: keys[index % keys.count], value: values[index % values.count])
                            }
                            let failed = await producer.send(records).reduce(0) { if case .failure = $1 { $0 + 1 } else { $0 } }
                            if failed > 0 { failures.value.withLock { $0 += failed } }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let elapsed = seconds(ContinuousClock.now - start)
            await producer.shutdown()
            let failed = failures.value.withLock { $0 }
            if failed > 0 { FileHandle.standardError.write(Data("\(failed) records failed\n".utf8)) }
            try printResult(BenchResult(
                operation: "produce", records: count - failed, seconds: elapsed,
                recordsPerSecond: Double(count - failed) / elapsed, peakResidentMB: peakResidentMegabytes()
            ))
        }
    }

    struct Consume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read N records with a new consumer group, storing each offset.",
            discussion: "Example: kafka-bench consume --bootstrap-servers 127.0.0.1:9092 --topic bench --count 1000000"
        )
        @Option var bootstrapServers: String
        @Option var topic: String
        @Option var count: Int = 1_000_000

        func run() async throws {
            var configuration = KafkaConsumerConfiguration(
                client: KafkaClientConfiguration(bootstrapServers: bootstrapServers, clientID: "bench-consumer", statisticsInterval: nil),
                groupID: "bench-\(UInt32.random(in: 0...UInt32.max))", topics: [topic]
            )
            configuration.prefetchMessages = 1_000_000
            configuration.prefetchKilobytes = 256 * 1024
            configuration.batchSize = 10_000
            let consumer = try KafkaConsumer(configuration: configuration, logger: benchLogger())
            let start = ContinuousClock.now
            var first: ContinuousClock.Instant?
            var seen = 0
            var bytes = 0
            var processed: [KafkaConsumerRecord] = []
            processed.reserveCapacity(1_000)
            for try await record in consumer.records {
                if first == nil { first = .now }
                bytes += record.value?.count ?? 0
                seen += 1
                processed.append(record)
                // Offsets are stored per processed chunk, as a batching handler does.
                if processed.count == 1_000 || seen == count {
                    consumer.storeOffsets(for: processed)
                    processed.removeAll(keepingCapacity: true)
                }
                if seen == count { break }
            }
            let end = ContinuousClock.now
            await consumer.close()
            let total = seconds(end - start)
            let steady = seconds(end - (first ?? start))
            try printResult(BenchResult(
                operation: "consume", records: seen, seconds: total, recordsPerSecond: Double(seen) / total,
                steadySeconds: steady, steadyRecordsPerSecond: Double(seen) / steady, peakResidentMB: peakResidentMegabytes()
            ))
            _ = bytes
        }
    }
}

/// A shared integer.
final class Counter: Sendable {
    let value = Mutex(0)
}
