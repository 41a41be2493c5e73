import CityKafka
import Foundation

/// Reads a topic's partitions from chosen start offsets, either up to the high watermarks seen when
/// the scan began (a bounded read: tail without --follow, replay, dead letters) or for as long as the
/// handler wants more (--follow). Records outside an optional time range are skipped, which also
/// makes `--from-time` right on the mock cluster, whose offset lookup by time always answers "end".
struct TopicScan: Sendable {
    var topic: ClusterMetadata.Topic
    var start: [Int32: KafkaStartOffset]
    var follow = false
    /// Keep records whose timestamp is at or after this (milliseconds since the epoch).
    var fromMilliseconds: Int64?
    /// Keep records whose timestamp is before this.
    var toMilliseconds: Int64?
    /// A bounded read stops early when nothing arrived for this long (e.g. the last offsets were
    /// compacted away), with a warning.
    var idleLimit: Duration = .seconds(10)

    /// What a scan did.
    struct Summary: Sendable {
        var read = 0
        var skippedByTime = 0
        var stoppedIdle = false
    }

    /// Calls `handle` for each record in order per partition until it returns false, the bounded read
    /// is complete, or (bounded) nothing came for `idleLimit`.
    func run(session: ClusterSession, _ handle: (KafkaConsumerRecord) async throws -> Bool) async throws -> Summary {
        var pending: [Int32: Int64] = [:]  // partition → high watermark still to reach
        if !follow {
            let marks = try await session.watermarks(of: topic)
            for (partition, offset) in start {
                guard let mark = marks[partition], mark.high > mark.low else { continue }
                switch offset {
                case .end: continue
                case .offset(let first) where first >= mark.high: continue
                default: pending[partition] = mark.high
                }
            }
            if pending.isEmpty { return Summary() }
        }
        let assignment = Dictionary(uniqueKeysWithValues: start.compactMap { partition, offset -> (TopicPartition, KafkaStartOffset)? in
            guard follow || pending[partition] != nil else { return nil }
            return (TopicPartition(topic: topic.name, partition: partition), offset)
        })
        let reader: KafkaPartitionReader
        do {
            reader = try KafkaPartitionReader(configuration: session.client, logger: session.logger, startingAt: assignment)
        } catch {
            throw ToolFailure.kafka(error, doing: "reading \(topic.name)")
        }
        var summary = Summary()
        var lastArrival = ContinuousClock.now
        let outcome: Result<Void, any Error>
        do {
            scanning: while follow || !pending.isEmpty {
                let batch: [KafkaConsumerRecord]
                do { batch = try await reader.poll(maxRecords: 500, timeout: .milliseconds(500)) } catch {
                    throw ToolFailure.kafka(error, doing: "reading \(topic.name)")
                }
                if batch.isEmpty {
                    if !follow && ContinuousClock.now - lastArrival > idleLimit {
                        summary.stoppedIdle = true
                        break scanning
                    }
                    continue
                }
                lastArrival = ContinuousClock.now
                for record in batch {
                    if !follow {
                        guard let high = pending[record.partition], record.offset < high else { continue }
                        if record.offset >= high - 1 { pending[record.partition] = nil }
                    }
                    summary.read += 1
                    if !inTimeRange(record) {
                        summary.skippedByTime += 1
                        continue
                    }
                    if try await !handle(record) { break scanning }
                }
            }
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        await reader.close()
        try outcome.get()
        if summary.stoppedIdle {
            Console.error("warning: \(topic.name): nothing arrived for \(idleLimit) before the end offsets (partitions \(pending.keys.sorted().map(String.init).joined(separator: ","))); stopped")
        }
        return summary
    }

    private func inTimeRange(_ record: KafkaConsumerRecord) -> Bool {
        guard fromMilliseconds != nil || toMilliseconds != nil else { return true }
        guard let timestamp = record.timestampMilliseconds else { return false }
        if let fromMilliseconds, timestamp < fromMilliseconds { return false }
        if let toMilliseconds, timestamp >= toMilliseconds { return false }
        return true
    }

    /// Start offsets for `--from-time`: the broker's answer where it has one, else the beginning
    /// (the time filter then skips older records).
    static func startOffsets(of topic: ClusterMetadata.Topic, atOrAfter milliseconds: Int64, session: ClusterSession) async throws -> [Int32: KafkaStartOffset] {
        let partitions = topic.partitions.map { TopicPartition(topic: topic.name, partition: $0.id) }
        let client: KafkaOffsetClient
        do {
            client = try KafkaOffsetClient(configuration: session.client, groupID: "citytopics-offset-lookup", logger: session.logger, timeout: session.timeout)
        } catch {
            throw ToolFailure.kafka(error, doing: "looking up offsets by time")
        }
        let answer: Result<[TopicPartition: Int64?], KafkaError>
        do { answer = .success(try await client.offsets(atOrAfter: milliseconds, for: partitions)) } catch { answer = .failure(error) }
        await client.shutdown()
        let offsets: [TopicPartition: Int64?]
        switch answer {
        case .success(let value): offsets = value
        case .failure(let error): throw ToolFailure.kafka(error, doing: "looking up offsets by time")
        }
        var start: [Int32: KafkaStartOffset] = [:]
        for partition in partitions {
            if case let offset?? = offsets[partition] { start[partition.partition] = .offset(offset) } else { start[partition.partition] = .beginning }
        }
        return start
    }

    /// Every partition from the beginning.
    static func fromBeginning(_ topic: ClusterMetadata.Topic) -> [Int32: KafkaStartOffset] {
        Dictionary(uniqueKeysWithValues: topic.partitions.map { ($0.id, KafkaStartOffset.beginning) })
    }
}
